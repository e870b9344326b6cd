/**
 * The native floor: a minimal hand-written session pipeline on node:crypto + node:zlib + JSON.
 * Not Flask-compatible (JSON.stringify key order and escapes, Node's zlib bytes); only a yardstick
 * for how fast Node itself can sign, compress and parse a cookie.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

export function floorKey(secret: string): Buffer {
  return createHmac('sha1', secret).update('cookie-session').digest();
}

function sign(key: Buffer, value: string): string {
  return createHmac('sha1', key).update(value).digest('base64url');
}

function timestamp(now: number): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.floor(now / 1000)));
  let i = 0;
  while (i < 8 && b[i] === 0) i++;
  return b.subarray(i).toString('base64url');
}

export function floorDump(key: Buffer, data: unknown): string {
  const json = Buffer.from(JSON.stringify(data));
  const z = deflateSync(json);
  const payload =
    z.length < json.length - 1 ? '.' + z.toString('base64url') : json.toString('base64url');
  return floorSign(key, payload);
}

export function floorSign(key: Buffer, payload: string): string {
  const value = payload + '.' + timestamp(Date.now());
  return `session=${value}.${sign(key, value)}; Expires=${new Date(Date.now() + 2678400000).toUTCString()}; HttpOnly; Path=/`;
}

export function floorLoad(key: Buffer, header: string, maxAge: number): unknown {
  let value: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq).trim() === 'session') {
      value = part.slice(eq + 1).trim();
      break;
    }
  }
  if (!value) return {};
  const dot = value.lastIndexOf('.');
  const signed = value.slice(0, dot);
  const expected = createHmac('sha1', key).update(signed).digest();
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return {};
  const tdot = signed.lastIndexOf('.');
  const ts = Buffer.from(signed.slice(tdot + 1), 'base64url');
  let t = 0;
  for (const b of ts) t = t * 256 + b;
  const age = Math.floor(Date.now() / 1000) - t;
  if (age < 0 || age > maxAge) return {};
  const payload = signed.slice(0, tdot);
  const raw = payload.startsWith('.')
    ? inflateSync(Buffer.from(payload.slice(1), 'base64url'))
    : Buffer.from(payload, 'base64url');
  return JSON.parse(raw.toString('utf8'));
}

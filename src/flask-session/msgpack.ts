/**
 * MessagePack as msgspec writes and reads it: what Flask-Session 0.8 stores server-side by default
 * (`SESSION_SERIALIZATION_FORMAT = "msgpack"`). Byte for byte msgspec's encoding choices: the
 * smallest integer form, every float as float64, strings as fixstr/str8/str16/str32, datetimes as
 * the timestamp extension (-1).
 * @module
 */

import { isBytes, utf8, utf8DecodeStrict } from '../_internal/bytes.ts';
import { isPlainObject, nullObject } from '../python/json.ts';
import { Markup, UUID } from '../python/types.ts';

/** Why a value could not be written or read. */
export class MsgpackError extends TypeError {
  override name = 'MsgpackError';
}

/**
 * Writes a session value as msgspec's `msgpack.Encoder().encode(value)` does. Tuples are arrays
 * (msgspec writes tuples as arrays, so they come back as lists, in Flask too); a UUID is its string.
 * @throws {@link MsgpackError} for what msgspec refuses (Markup, integers past 64 bits, a Set, ...)
 */
export function msgpackEncode(value: unknown): Uint8Array {
  let buf = new Uint8Array(256);
  let n = 0;
  const room = (k: number): void => {
    if (n + k <= buf.length) return;
    const b = new Uint8Array(Math.max(buf.length * 2, n + k));
    b.set(buf.subarray(0, n));
    buf = b;
  };
  const byte = (x: number): void => {
    room(1);
    buf[n++] = x;
  };
  const be = (x: number, bytes: number): void => {
    room(bytes);
    for (let i = bytes - 1; i >= 0; i--) {
      buf[n + i] = x & 0xff;
      x = Math.floor(x / 256);
    }
    n += bytes;
  };
  const big = (x: bigint, tag: number): void => {
    byte(tag);
    room(8);
    new DataView(buf.buffer, buf.byteOffset).setBigUint64(n, BigInt.asUintN(64, x));
    n += 8;
  };
  const int = (x: bigint): void => {
    if (x >= 0n) {
      if (x < 128n) byte(Number(x));
      else if (x < 0x100n) (byte(0xcc), be(Number(x), 1));
      else if (x < 0x10000n) (byte(0xcd), be(Number(x), 2));
      else if (x < 0x100000000n) (byte(0xce), be(Number(x), 4));
      else if (x < 0x10000000000000000n) big(x, 0xcf);
      else throw new MsgpackError('Integer value out of range');
    } else {
      if (x >= -32n) byte(0x100 + Number(x));
      else if (x >= -0x80n) (byte(0xd0), be(0x100 + Number(x), 1));
      else if (x >= -0x8000n) (byte(0xd1), be(0x10000 + Number(x), 2));
      else if (x >= -0x80000000n) (byte(0xd2), be(0x100000000 + Number(x), 4));
      else if (x >= -0x8000000000000000n) big(x, 0xd3);
      else throw new MsgpackError('Integer value out of range');
    }
  };
  const str = (s: string): void => {
    const b = utf8(s);
    const len = b.length;
    if (len < 32) byte(0xa0 | len);
    else if (len < 0x100) (byte(0xd9), be(len, 1));
    else if (len < 0x10000) (byte(0xda), be(len, 2));
    else (byte(0xdb), be(len, 4));
    room(len);
    buf.set(b, n);
    n += len;
  };
  const header = (len: number, fix: number, fixMax: number, c16: number, c32: number): void => {
    if (len < fixMax) byte(fix | len);
    else if (len < 0x10000) (byte(c16), be(len, 2));
    else (byte(c32), be(len, 4));
  };
  const write = (v: unknown, depth: number): void => {
    if (depth > 1000) throw new MsgpackError('Nesting too deep');
    if (v === null) return byte(0xc0);
    switch (typeof v) {
      case 'boolean':
        return byte(v ? 0xc3 : 0xc2);
      case 'string':
        return str(v);
      case 'bigint':
        return int(v);
      case 'number':
        // a safe integer is an int; anything else (fractions, and doubles past 2**53, which JS
        // cannot hold as exact integers) a float, as Python would hold it
        if (Number.isSafeInteger(v)) return int(BigInt(v));
        byte(0xcb);
        room(8);
        new DataView(buf.buffer, buf.byteOffset).setFloat64(n, v);
        n += 8;
        return;
      case 'object': {
        if (Array.isArray(v)) {
          header(v.length, 0x90, 16, 0xdc, 0xdd);
          for (const x of v) write(x, depth + 1);
          return;
        }
        if (isBytes(v)) {
          const len = v.length;
          if (len < 0x100) (byte(0xc4), be(len, 1));
          else if (len < 0x10000) (byte(0xc5), be(len, 2));
          else (byte(0xc6), be(len, 4));
          room(len);
          buf.set(v, n);
          n += len;
          return;
        }
        if (v instanceof Date) return timestamp(v);
        if (v instanceof UUID) return str(String(v));
        if (v instanceof Markup)
          throw new MsgpackError('Encoding objects of type Markup is unsupported');
        if (isPlainObject(v)) {
          const keys = Object.keys(v);
          header(keys.length, 0x80, 16, 0xde, 0xdf);
          for (const k of keys) {
            str(k);
            write(v[k], depth + 1);
          }
          return;
        }
      }
    }
    throw new MsgpackError(
      `Encoding objects of type ${v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'Object') : typeof v} is unsupported`,
    );
  };
  /** A timezone-aware datetime: the timestamp extension in its smallest form. */
  const timestamp = (d: Date): void => {
    const ms = d.getTime();
    if (!Number.isFinite(ms)) throw new MsgpackError('Invalid Date');
    const secs = Math.floor(ms / 1000);
    const nanos = (ms - secs * 1000) * 1e6;
    if (secs >= 0 && secs < 2 ** 34) {
      if (nanos === 0 && secs < 2 ** 32) {
        byte(0xd6);
        byte(0xff);
        be(secs, 4);
      } else {
        byte(0xd7);
        byte(0xff);
        be(nanos * 4 + Math.floor(secs / 2 ** 32), 4); // nanos << 2 | secs >> 32
        be(secs % 2 ** 32, 4);
      }
    } else {
      byte(0xc7);
      byte(12);
      byte(0xff);
      be(nanos, 4);
      room(8);
      new DataView(buf.buffer, buf.byteOffset).setBigInt64(n, BigInt(secs));
      n += 8;
    }
  };
  write(value, 0);
  return buf.slice(0, n);
}

/**
 * Reads MessagePack as msgspec's `msgpack.Decoder().decode(data)` does: maps are prototype-less
 * objects, bin is bytes, the timestamp extension a Date, integers past 2**53 bigints.
 * @throws {@link MsgpackError} for truncated or invalid data, trailing bytes, or another extension
 */
export function msgpackDecode(data: Uint8Array, maxDepth = 500): unknown {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  const need = (k: number): void => {
    if (p + k > data.length) throw new MsgpackError('Input data was truncated');
  };
  const u = (k: number): number => {
    need(k);
    let x = 0;
    for (let i = 0; i < k; i++) x = x * 256 + data[p++]!;
    return x;
  };
  const intOf = (b: bigint): number | bigint =>
    b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  const bytes = (len: number): Uint8Array => {
    need(len);
    const out = data.slice(p, p + len);
    p += len;
    return out;
  };
  const text = (len: number): string => {
    try {
      return utf8DecodeStrict(bytes(len));
    } catch {
      throw new MsgpackError('Invalid UTF-8 in a string');
    }
  };
  const ext = (len: number): unknown => {
    need(1);
    const type = (data[p++]! << 24) >> 24;
    if (type !== -1) throw new MsgpackError(`Unsupported extension type ${type}`);
    if (len === 4) return new Date(u(4) * 1000);
    if (len === 8) {
      const hi = u(4);
      const lo = u(4);
      const nanos = Math.floor(hi / 4);
      const secs = (hi % 4) * 2 ** 32 + lo;
      if (nanos > 999999999) throw new MsgpackError('Invalid timestamp');
      return new Date(secs * 1000 + Math.floor(nanos / 1e6));
    }
    if (len === 12) {
      const nanos = u(4);
      need(8);
      const secs = Number(view.getBigInt64(p));
      p += 8;
      if (nanos > 999999999) throw new MsgpackError('Invalid timestamp');
      return new Date(secs * 1000 + Math.floor(nanos / 1e6));
    }
    throw new MsgpackError('Invalid timestamp');
  };
  const read = (depth: number): unknown => {
    if (depth > maxDepth) throw new MsgpackError(`Nesting deeper than ${maxDepth} levels`);
    need(1);
    const b = data[p++]!;
    if (b < 0x80) return b;
    if (b >= 0xe0) return b - 0x100;
    if ((b & 0xe0) === 0xa0) return text(b & 0x1f);
    if ((b & 0xf0) === 0x90) return array(b & 0x0f, depth);
    if ((b & 0xf0) === 0x80) return map(b & 0x0f, depth);
    switch (b) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return bytes(u(1));
      case 0xc5:
        return bytes(u(2));
      case 0xc6:
        return bytes(u(4));
      case 0xc7:
        return ext(u(1));
      case 0xc8:
        return ext(u(2));
      case 0xc9:
        return ext(u(4));
      case 0xca: {
        need(4);
        const f = view.getFloat32(p);
        p += 4;
        return f;
      }
      case 0xcb: {
        need(8);
        const f = view.getFloat64(p);
        p += 8;
        return f;
      }
      case 0xcc:
        return u(1);
      case 0xcd:
        return u(2);
      case 0xce:
        return u(4);
      case 0xcf: {
        need(8);
        const x = view.getBigUint64(p);
        p += 8;
        return intOf(x);
      }
      case 0xd0:
        need(1);
        return view.getInt8(p++);
      case 0xd1: {
        need(2);
        const x = view.getInt16(p);
        p += 2;
        return x;
      }
      case 0xd2: {
        need(4);
        const x = view.getInt32(p);
        p += 4;
        return x;
      }
      case 0xd3: {
        need(8);
        const x = view.getBigInt64(p);
        p += 8;
        return intOf(x);
      }
      case 0xd4:
        return ext(1);
      case 0xd5:
        return ext(2);
      case 0xd6:
        return ext(4);
      case 0xd7:
        return ext(8);
      case 0xd8:
        return ext(16);
      case 0xd9:
        return text(u(1));
      case 0xda:
        return text(u(2));
      case 0xdb:
        return text(u(4));
      case 0xdc:
        return array(u(2), depth);
      case 0xdd:
        return array(u(4), depth);
      case 0xde:
        return map(u(2), depth);
      case 0xdf:
        return map(u(4), depth);
    }
    throw new MsgpackError(`Invalid MessagePack byte 0x${b.toString(16)}`);
  };
  const array = (len: number, depth: number): unknown[] => {
    if (len > data.length - p) throw new MsgpackError('Input data was truncated');
    const out: unknown[] = [];
    for (let i = 0; i < len; i++) out.push(read(depth + 1));
    return out;
  };
  const map = (len: number, depth: number): Record<string, unknown> => {
    if (len * 2 > data.length - p) throw new MsgpackError('Input data was truncated');
    const out = nullObject();
    for (let i = 0; i < len; i++) {
      const k = read(depth + 1);
      if (typeof k !== 'string')
        throw new MsgpackError('Only string keys are supported in a session');
      out[k] = read(depth + 1);
    }
    return out;
  };
  const v = read(0);
  if (p !== data.length) throw new MsgpackError('Input data had trailing bytes');
  return v;
}

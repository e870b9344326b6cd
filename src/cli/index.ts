#!/usr/bin/env node
/**
 * `flask-session-cookie`: decode, verify, sign and explain Flask session cookies, and make keys.
 * Secrets come from a file or the environment, never from the command line.
 * @module
 */

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BadPayload,
  base64Decode,
  bytesToInt,
  dumpSession,
  generateSecretKey,
  getCookie,
  isTuple,
  Markup,
  MAX_COOKIE_SIZE,
  parseCookieHeader,
  parseSetCookie,
  readSession,
  Signer,
  BadTimeSignature,
  DEFAULT_PERMANENT_LIFETIME,
  TaggedJSONSerializer,
  UUID,
  type DumpSessionOptions,
  type SessionData,
  type SessionReadResult,
} from '../index.ts';
import { urlSafeDecodePayload } from '../itsdangerous/url-safe.ts';

const USAGE = `Usage: flask-session-cookie <command> [options]

Commands:
  decode [COOKIE]    show what a cookie holds, WITHOUT checking its signature
  verify [COOKIE]    check a cookie with the secret (and fallbacks): valid or invalid, and why
  sign   [JSON]      make a cookie for session data given as Flask's tagged JSON
  explain [COOKIE]   diagnose why Flask (or this library) does not accept a cookie
  genkey             print a new random secret key

COOKIE is a cookie value, "session=<value>", a whole "Cookie: ..." or "Set-Cookie: ..." header,
or, when left out, standard input. Secrets are read from --secret-file FILE or the environment
(FLASK_SECRET_KEY, then SECRET_KEY); fallback keys from --fallbacks-file FILE (one per line) or
FLASK_SECRET_KEY_FALLBACKS (a JSON list). Run "flask-session-cookie <command> --help" for options.

Exit status: 0 success (valid cookie), 1 the cookie is rejected or cannot be decoded, 2 usage error.`;

const COMMON = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  'cookie-name': { type: 'string', default: 'session' },
} as const;
const KEYS = {
  'secret-file': { type: 'string' },
  'fallbacks-file': { type: 'string' },
  lifetime: { type: 'string' },
  now: { type: 'string' },
} as const;

const HELP: Record<string, string> = {
  decode: `Usage: flask-session-cookie decode [COOKIE] [--json] [--cookie-name NAME]

Shows the payload of a session cookie WITHOUT verifying it: anyone can read a Flask session.
--json prints {"verified": false, "data": <Flask's tagged JSON>, "signedAt": ...}.`,
  verify: `Usage: flask-session-cookie verify [COOKIE] [--secret-file FILE] [--fallbacks-file FILE]
                                   [--lifetime SECONDS] [--now UNIX] [--cookie-name NAME] [--json]

Checks the cookie as Flask's open_session does (signature, then age <= lifetime and not in the
future). Prints "valid" and the data, or "invalid" and the reason. Exit 0 when valid, 1 when not.`,
  sign: `Usage: flask-session-cookie sign [JSON] [--secret-file FILE] [--permanent] [--lifetime SECONDS]
                                 [--now UNIX] [--cookie-name NAME] [--domain D] [--path P]
                                 [--secure] [--no-httponly] [--samesite S] [--header] [--json]

JSON is the session in Flask's tagged JSON (what Flask stores: {" t": [...]} for a tuple, ...).
Prints the cookie value, or with --header the whole Set-Cookie header value Flask would send.`,
  explain: `Usage: flask-session-cookie explain [COOKIE] [--secret-file FILE] [--fallbacks-file FILE]
                                    [--lifetime SECONDS] [--now UNIX] [--cookie-name NAME] [--json]

Diagnoses a cookie: the header (no cookie of that name, several), the size, which key verifies it,
the age (expired by N seconds, signed N seconds in the future), and the payload (base64, zlib,
UTF-8, JSON, tags). Exit 0 when Flask would accept the cookie, 1 when not.`,
  genkey: `Usage: flask-session-cookie genkey [--bytes N]

Prints a random secret key: N random bytes as hex (default 32), like Python's secrets.token_hex.`,
};

class UsageError extends Error {}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/** The secret: --secret-file, else FLASK_SECRET_KEY, else SECRET_KEY. */
function secretFrom(values: { 'secret-file'?: string | undefined }): string {
  let secret: string | undefined;
  if (values['secret-file'])
    secret = readFileSync(values['secret-file'], 'utf8').replace(/\r?\n$/, '');
  else secret = process.env['FLASK_SECRET_KEY'] || process.env['SECRET_KEY'];
  if (!secret)
    throw new UsageError(
      'no secret: give --secret-file FILE, or set FLASK_SECRET_KEY or SECRET_KEY (never on the command line)',
    );
  return secret;
}

function fallbacksFrom(values: { 'fallbacks-file'?: string | undefined }): string[] {
  if (values['fallbacks-file'])
    return readFileSync(values['fallbacks-file'], 'utf8').split(/\r?\n/).filter(Boolean);
  const env = process.env['FLASK_SECRET_KEY_FALLBACKS'];
  if (!env) return [];
  let list: unknown;
  try {
    list = JSON.parse(env);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((k) => typeof k === 'string'))
    throw new UsageError(
      'FLASK_SECRET_KEY_FALLBACKS must be a JSON list of strings, e.g. ["old-key"]',
    );
  return list;
}

const num = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${v}`);
  return n;
};

/** The cookie and what the input says about it. */
interface CookieInput {
  header: string;
  value: string | undefined;
  /** How many cookies of that name the header holds. */
  count: number;
  names: string[];
}

/** A cookie value, `name=value`, a `Cookie:` or a `Set-Cookie:` header: the header Flask would see. */
function cookieInput(arg: string | undefined, name: string): CookieInput {
  let text = (arg ?? readStdin()).trim();
  if (!text) throw new UsageError('no cookie given: pass it as an argument or on standard input');
  let header: string;
  const lower = text.toLowerCase();
  if (lower.startsWith('set-cookie:')) {
    const c = parseSetCookie(text.slice(11).trim());
    header = `${c.name}=${c.value}`;
  } else if (lower.startsWith('cookie:')) header = text.slice(7).trim();
  else if (text.includes('=') && !/^[A-Za-z0-9_.-]+={0,2}$/.test(text)) header = text;
  else header = `${name}=${text}`;
  text = header;
  const pairs = parseCookieHeader(header);
  const mine = pairs.filter(([k]) => k === name);
  return {
    header,
    value: getCookie(header, name),
    count: mine.length,
    names: [...new Set(pairs.map(([k]) => k))],
  };
}

/** A Python-style repr of session data, for people. */
function repr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number')
    return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v).replace(/^"|"$/g, "'").replace(/\\"/g, '"');
  if (v instanceof Uint8Array)
    return `b'${Array.from(v, (b) => (b >= 0x20 && b < 0x7f && b !== 0x27 && b !== 0x5c ? String.fromCharCode(b) : '\\x' + b.toString(16).padStart(2, '0'))).join('')}'`;
  if (v instanceof Markup) return `Markup(${repr(v.value)})`;
  if (v instanceof UUID) return `UUID('${String(v)}')`;
  if (v instanceof Date) return `datetime(${v.toISOString().replace('.000Z', '+00:00')})`;
  if (Array.isArray(v)) {
    const items = v.map(repr);
    return isTuple(v)
      ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})`
      : `[${items.join(', ')}]`;
  }
  return `{${Object.keys(v as object)
    .map((k) => `${repr(k)}: ${repr((v as Record<string, unknown>)[k])}`)
    .join(', ')}}`;
}

const tagged = new TaggedJSONSerializer();

interface Decoded {
  data?: unknown;
  signedAt?: Date;
  error?: string;
  stage?: 'structure' | 'timestamp' | 'base64' | 'zlib' | 'utf-8' | 'json';
}

/** The payload and timestamp of a cookie value, without any signature check. */
function decodeUnverified(value: string): Decoded {
  const parts = value.split('.');
  const compressed = value.startsWith('.');
  const segs = compressed ? ['.' + parts[1], ...parts.slice(2)] : parts;
  if (segs.length < 3)
    return {
      stage: 'structure',
      error: 'not a signed session cookie: it needs payload.timestamp.signature',
    };
  const ts = segs[segs.length - 2]!;
  const payload = segs.slice(0, -2).join('.');
  const out: Decoded = {};
  try {
    const t = bytesToInt(base64Decode(ts));
    if (typeof t === 'number') out.signedAt = new Date(t * 1000);
  } catch {
    return { stage: 'timestamp', error: 'the timestamp is not base64' };
  }
  let json: Uint8Array;
  try {
    json = urlSafeDecodePayload(new TextEncoder().encode(payload), 1024 * 1024);
  } catch (e) {
    const cause =
      e instanceof BadPayload ? String((e.cause as Error)?.message ?? e.message) : String(e);
    return { ...out, stage: /zlib/i.test((e as Error).message) ? 'zlib' : 'base64', error: cause };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    return { ...out, stage: 'utf-8', error: 'the payload is not valid UTF-8' };
  }
  try {
    out.data = tagged.loads(text);
  } catch (e) {
    return {
      ...out,
      stage: 'json',
      error: `the payload is not Flask's tagged JSON: ${(e as Error).message}`,
    };
  }
  return out;
}

type Out = { code: number; text: string; json: unknown };

function cmdDecode(args: string[]): Out {
  const { values, positionals } = parseArgs({ args, options: COMMON, allowPositionals: true });
  if (values.help) return { code: 0, text: HELP['decode']!, json: null };
  const input = cookieInput(positionals[0], values['cookie-name']);
  if (!input.value) throw new UsageError(`no cookie named ${values['cookie-name']} in the input`);
  const d = decodeUnverified(input.value);
  if (d.error)
    return {
      code: 1,
      text: `cannot decode (${d.stage}): ${d.error}`,
      json: { verified: false, error: d.error, stage: d.stage },
    };
  const signedAt = d.signedAt?.toISOString();
  return {
    code: 0,
    text: `UNVERIFIED (the signature was not checked)\nsigned at: ${signedAt ?? 'unknown'}\n${repr(d.data)}`,
    json: { verified: false, signedAt, data: JSON.parse(tagged.dumps(d.data)) },
  };
}

function loadOpts(values: Record<string, unknown>) {
  return {
    fallbacks: fallbacksFrom(values),
    cookieName: values['cookie-name'] as string,
    permanentLifetime: num('lifetime', values['lifetime'] as string | undefined),
    now: num('now', values['now'] as string | undefined),
    maxValueSize: Infinity,
    maxHeaderSize: Infinity,
  };
}

function cmdVerify(args: string[]): Out {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON, ...KEYS },
    allowPositionals: true,
  });
  if (values.help) return { code: 0, text: HELP['verify']!, json: null };
  const input = cookieInput(positionals[0], values['cookie-name']);
  const secret = secretFrom(values);
  let r;
  try {
    r = readSession(input.header, secret, loadOpts(values));
  } catch (e) {
    return {
      code: 1,
      text: `invalid: validly signed, but the payload cannot be read (Flask answers HTTP 500): ${(e as Error).cause ?? e}`,
      json: { valid: false, reason: 'bad-payload' },
    };
  }
  if (r.status !== 'valid')
    return {
      code: 1,
      text: `invalid: ${whyInvalid(r, values)}; "flask-session-cookie explain" says more`,
      json: { valid: false, reason: r.status, message: r.error?.message },
    };
  const key =
    r.keyIndex === 0 ? 'SECRET_KEY' : `SECRET_KEY_FALLBACKS (the ${ordinal(r.keyIndex!)} newest)`;
  return {
    code: 0,
    text: `valid (signed with ${key} at ${r.issuedAt!.toISOString()})\n${repr(r.data)}`,
    json: {
      valid: true,
      key: r.keyIndex,
      signedAt: r.issuedAt!.toISOString(),
      data: JSON.parse(tagged.dumps(r.data)),
    },
  };
}

/** Why a cookie is refused, in words that say what to check. */
function whyInvalid(r: SessionReadResult, values: Record<string, unknown>): string {
  switch (r.status) {
    case 'missing':
      return `no cookie named "${values['cookie-name'] as string}" in the input`;
    case 'expired': {
      const now = num('now', values['now'] as string | undefined) ?? Date.now() / 1000;
      const age = Math.floor(now) - Math.floor(r.issuedAt!.getTime() / 1000);
      return age < 0
        ? `signed ${-age} seconds in the future (${r.issuedAt!.toISOString()}): are the clocks in sync?`
        : `expired: signed ${r.issuedAt!.toISOString()}, ${age} seconds ago, past the lifetime (--lifetime, Flask's PERMANENT_SESSION_LIFETIME)`;
    }
    case 'invalid':
      return /timestamp/i.test(r.error?.message ?? '')
        ? `the signature verifies but the timestamp is malformed (${r.error!.message})`
        : 'no key verifies the signature: the cookie was signed with a different SECRET_KEY (check --secret-file or FLASK_SECRET_KEY, and FLASK_SECRET_KEY_FALLBACKS after a rotation), or it was changed';
    default:
      return `${r.status}${r.error ? ` (${r.error.message})` : ''}`;
  }
}

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

function cmdSign(args: string[]): Out {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...COMMON,
      ...KEYS,
      permanent: { type: 'boolean', default: false },
      domain: { type: 'string' },
      path: { type: 'string' },
      secure: { type: 'boolean', default: false },
      'no-httponly': { type: 'boolean', default: false },
      samesite: { type: 'string' },
      header: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return { code: 0, text: HELP['sign']!, json: null };
  const text = (positionals[0] ?? readStdin()).trim();
  if (!text)
    throw new UsageError(
      'no session data given: pass tagged JSON as an argument or on standard input',
    );
  let data: unknown;
  try {
    data = tagged.loads(text);
  } catch (e) {
    throw new UsageError(`the session is not valid tagged JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new UsageError('the session must be a JSON object');
  const options: DumpSessionOptions = {
    secret: secretFrom(values),
    cookieName: values['cookie-name'],
    httpOnly: !values['no-httponly'],
    secure: values.secure,
    onOversize: 'ignore',
    weakSecret: 'ignore',
  };
  if (values.permanent) options.permanent = true;
  if (values.domain) options.domain = values.domain;
  if (values.path) options.path = values.path;
  if (values.samesite) options.sameSite = values.samesite;
  const lifetime = num('lifetime', values.lifetime);
  if (lifetime !== undefined) options.permanentLifetime = lifetime;
  const now = num('now', values.now);
  if (now !== undefined) options.now = now;
  const header = dumpSession(data as SessionData, options);
  const value = header.slice(header.indexOf('=') + 1).split(';')[0]!;
  return { code: 0, text: values.header ? header : value, json: { value, setCookie: header } };
}

function cmdExplain(args: string[]): Out {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON, ...KEYS },
    allowPositionals: true,
  });
  if (values.help) return { code: 0, text: HELP['explain']!, json: null };
  const name = values['cookie-name'];
  const input = cookieInput(positionals[0], name);
  const findings: { check: string; ok: boolean; detail: string }[] = [];
  const say = (check: string, ok: boolean, detail: string) => findings.push({ check, ok, detail });
  const finish = (accepted: boolean): Out => ({
    code: accepted ? 0 : 1,
    text:
      findings.map((f) => `${f.ok ? 'ok  ' : 'FAIL'} ${f.check}: ${f.detail}`).join('\n') +
      `\n=> ${accepted ? 'Flask accepts this cookie' : 'Flask does not accept this cookie: the session is empty'}`,
    json: { accepted, findings },
  });

  if (input.count === 0) {
    say(
      'header',
      false,
      `no cookie named "${name}" (found: ${input.names.join(', ') || 'none'}); names are case-sensitive`,
    );
    return finish(false);
  }
  say(
    'header',
    input.count === 1,
    input.count === 1
      ? `one cookie named "${name}"`
      : `${input.count} cookies named "${name}": Flask uses the first one only (path or domain duplicates?)`,
  );
  const value = input.value ?? '';
  if (!value) {
    say('value', false, 'the cookie is empty');
    return finish(false);
  }
  const size = name.length + 1 + value.length;
  say(
    'size',
    size <= MAX_COOKIE_SIZE,
    size <= MAX_COOKIE_SIZE
      ? `${size} bytes`
      : `${size} bytes: browsers drop cookies over about 4096 bytes (Werkzeug warns past ${MAX_COOKIE_SIZE})`,
  );

  const d = decodeUnverified(value);
  let secret: string;
  try {
    secret = secretFrom(values);
  } catch (e) {
    say('secret', false, (e as Error).message);
    return finish(false);
  }
  const fallbacks = fallbacksFrom(values);
  const keyCount = 1 + fallbacks.length;
  const lifetime = Math.trunc(num('lifetime', values.lifetime) ?? DEFAULT_PERMANENT_LIFETIME);
  const now = Math.floor(num('now', values.now) ?? Date.now() / 1000);
  // the library's own reading path, as an adapter would read this cookie
  let r: SessionReadResult | undefined;
  let payloadError: unknown;
  try {
    r = readSession(input.header, secret, loadOpts(values));
  } catch (e) {
    if (!(e instanceof BadPayload)) throw e;
    payloadError = e;
  }

  if (r?.status === 'invalid') {
    if (r.error instanceof BadTimeSignature && /timestamp/i.test(r.error.message)) {
      say('signature', true, 'a key verifies it');
      say('timestamp', false, `${r.error.message}: Flask gives an empty session`);
      return finish(false);
    }
    const dot = value.lastIndexOf('.');
    const other =
      dot > 0 && new Signer(secret).verifySignature(value.slice(0, dot), value.slice(dot + 1))
        ? ' It verifies with itsdangerous\' own defaults (salt "itsdangerous.Signer"): not a Flask session cookie.'
        : '';
    say(
      'signature',
      false,
      `no key verifies it: a different SECRET_KEY, or a changed cookie (${keyCount} key${keyCount > 1 ? 's' : ''} tried).${other}`,
    );
    if (!d.error)
      say('payload', true, `readable without the key (anyone can read it): ${repr(d.data)}`);
    return finish(false);
  }
  say(
    'signature',
    true,
    r?.keyIndex === undefined
      ? 'a key verifies it'
      : r.keyIndex === 0
        ? 'verified with SECRET_KEY'
        : `verified with a fallback key (the ${ordinal(r.keyIndex)} newest): it will be re-signed on the next write`,
  );

  const signedAt = r?.issuedAt ?? d.signedAt;
  if (r?.status === 'expired' && signedAt) {
    const age = now - Math.floor(signedAt.getTime() / 1000);
    say(
      'age',
      false,
      age < 0
        ? `signed ${-age} seconds in the future (${signedAt.toISOString()}): Flask rejects it; are the servers' clocks in sync?`
        : `expired ${age - lifetime} seconds ago (signed ${signedAt.toISOString()}, lifetime ${lifetime} s)`,
    );
  } else if (signedAt) {
    const age = now - Math.floor(signedAt.getTime() / 1000);
    say('age', true, `signed ${age} seconds ago, ${lifetime - age} seconds left`);
  }

  if (payloadError !== undefined || d.error)
    say(
      `payload (${d.stage ?? 'data'})`,
      false,
      `${d.error ?? String((payloadError as Error).cause ?? payloadError)}: validly signed, so Flask answers HTTP 500`,
    );
  else say('payload', true, repr(d.data));
  return finish(findings.every((f) => f.ok || f.check === 'header' || f.check === 'size'));
}

function cmdGenkey(args: string[]): Out {
  const { values } = parseArgs({
    args,
    options: { bytes: { type: 'string', default: '32' }, help: COMMON.help, json: COMMON.json },
  });
  if (values.help) return { code: 0, text: HELP['genkey']!, json: null };
  const n = Number(values.bytes);
  let key: string;
  try {
    key = generateSecretKey(n);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { code: 0, text: key, json: { key } };
}

const COMMANDS: Record<string, (args: string[]) => Out> = {
  decode: cmdDecode,
  verify: cmdVerify,
  sign: cmdSign,
  explain: cmdExplain,
  genkey: cmdGenkey,
};

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE + '\n');
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  const json = rest.includes('--json');
  const keyFlag = rest.find((a) => /^--(secret|key|secret-key|fallbacks?)(=|$)/.test(a));
  if (keyFlag !== undefined) {
    process.stderr.write(
      `flask-session-cookie ${command}: ${keyFlag.split('=')[0]} is not an option: secrets come from --secret-file FILE (and --fallbacks-file FILE) or the FLASK_SECRET_KEY (and FLASK_SECRET_KEY_FALLBACKS) environment variable, never the command line, because other users can read a command line (ps, /proc) and shells keep it in their history\n`,
    );
    return 2;
  }
  try {
    const out = run(rest);
    process.stdout.write(
      (json && out.json !== null ? JSON.stringify(out.json, null, 2) : out.text) + '\n',
    );
    return out.code;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`flask-session-cookie ${command}: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main(process.argv.slice(2));

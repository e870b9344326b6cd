/**
 * Cookie headers as Werkzeug 3 reads and writes them: `parse_cookie` (first value of a name wins,
 * malformed pairs are skipped) and `dump_cookie` (attribute order, quoting of Path, IDNA Domain,
 * the 4093-byte size check). Port of werkzeug/sansio/http.py and werkzeug/http.py.
 * @module
 */

import { parseSetCookie as jsParseSetCookie, stringifyCookie } from 'cookie';
import { utf8, utf8DecodeReplace } from '../_internal/bytes.ts';
import { httpDate } from './http-date.ts';

/**
 * Unquotes a quoted value as Werkzeug does, on the UTF-8 bytes: a backslash and three octal digits
 * (the first 0-3) is that byte, a backslash and any other byte but a newline is that byte; the
 * result is decoded with U+FFFD for invalid UTF-8.
 */
function unquote(v: string): string {
  const inner = v.slice(1, -1);
  if (!inner.includes('\\')) return inner;
  const bytes = utf8(inner);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x5c && i + 1 < bytes.length && bytes[i + 1] !== 0x0a) {
      const o = String.fromCharCode(bytes[i + 1]!, bytes[i + 2] ?? 0, bytes[i + 3] ?? 0);
      if (/^[0-3][0-7]{2}$/.test(o)) {
        out.push(parseInt(o, 8));
        i += 3;
      } else {
        out.push(bytes[i + 1]!);
        i += 1;
      }
    } else out.push(b);
  }
  return utf8DecodeReplace(Uint8Array.from(out));
}

/** Index after `[ \t]*` from `i`. */
function skipBlanks(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The first character that ends a key, `[ \t=";]` (a key is `[^ \t=";]+`). */
const KEY_END = /[ \t=";]/g;
/** The first character that ends an unquoted value, `[ \t";]`. */
const TOKEN_END = /[ \t";]/g;

/**
 * Parses a `Cookie` request header as Werkzeug 3 does (`request.cookies`). Each pair is Werkzeug's
 * `_cookie_re`:
 * ```
 * [ \t]* key=[^ \t=";]+ ( [ \t]*=[ \t]* value=( "(?:[^\\"]|\\.)*" | [^ \t";]* ) )? [ \t]* ( ; | end )
 * ```
 * (Python's `.` is anything but a newline). A pair that does not match is skipped up to the next
 * `;`. This is a hand-written matcher of that grammar, not the regex: the regex is quadratic on
 * headers full of unterminated quotes, and the scan of a quoted value is memoised so that every
 * header is read in linear time.
 * @param header - the header; several headers (an array) are joined with `;`
 * @returns every pair in order, duplicates kept (the first is the one Flask uses)
 * @example
 * ```ts
 * parseCookieHeader('session=a; theme=dark; session=b'); // [['session','a'],['theme','dark'],['session','b']]
 * ```
 */
export function parseCookieHeader(
  header: string | readonly string[] | null | undefined,
): [string, string][] {
  const out: [string, string][] = [];
  scanCookies(header, undefined, (k, v) => {
    out.push([k, v]);
    return false;
  });
  return out;
}

/**
 * Walks the pairs of a Cookie header in order and calls `found` with each (every name, or only
 * `only`) until it returns true. @internal
 */
function scanCookies(
  header: string | readonly string[] | null | undefined,
  only: string | undefined,
  found: (key: string, value: string) => boolean,
): void {
  const s = Array.isArray(header) ? header.join(';') : (header as string | null | undefined);
  if (!s) return;
  const n = s.length;
  let quoteEnd: Int32Array | undefined; // memo: where a quoted scan reaching index i ends (-1: no end)
  /** Index after the closing quote of a quoted value starting at `q`, or -1. */
  const scanQuoted = (q: number): number => {
    quoteEnd ??= new Int32Array(n + 1).fill(-2);
    const seen: number[] = [];
    let i = q + 1;
    let r: number;
    for (;;) {
      if (quoteEnd[i] !== -2) {
        r = quoteEnd[i]!;
        break;
      }
      seen.push(i);
      if (i >= n) {
        r = -1;
        break;
      }
      const c = s.charCodeAt(i);
      if (c === 0x22) {
        r = i + 1;
        break;
      }
      if (c === 0x5c) {
        if (i + 1 < n && s.charCodeAt(i + 1) !== 0x0a) i += 2;
        else {
          r = -1;
          break;
        }
      } else i++;
    }
    for (const j of seen) quoteEnd[j] = r;
    return r;
  };
  /** Matches one pair at `pos`: [key, value, end] or undefined. */
  const pair = (pos: number): [string, string, number] | undefined => {
    const k0 = skipBlanks(s, pos);
    KEY_END.lastIndex = k0;
    const k1 = KEY_END.test(s) ? KEY_END.lastIndex - 1 : n;
    if (k1 === k0) return undefined;
    // a key that is not the one asked for is matched, but not copied
    const key =
      only === undefined
        ? s.slice(k0, k1)
        : k1 - k0 === only.length && s.startsWith(only, k0)
          ? only
          : '';
    const eq = skipBlanks(s, k1);
    const end = (i: number): number | undefined => {
      const t = skipBlanks(s, i);
      if (t === n) return n;
      return s.charCodeAt(t) === 0x3b ? t + 1 : undefined;
    };
    if (s.charCodeAt(eq) !== 0x3d) {
      const e = end(k1);
      return e === undefined ? undefined : [key, '', e];
    }
    const v0 = skipBlanks(s, eq + 1);
    if (s.charCodeAt(v0) === 0x22) {
      const q = scanQuoted(v0);
      if (q < 0) return undefined;
      const e = end(q);
      return e === undefined ? undefined : [key, s.slice(v0, q), e];
    }
    TOKEN_END.lastIndex = v0;
    const v1 = TOKEN_END.test(s) ? TOKEN_END.lastIndex - 1 : n;
    const e = end(v1);
    return e === undefined ? undefined : [key, s.slice(v0, v1), e];
  };
  let pos = 0;
  for (;;) {
    const m = pair(pos);
    if (m === undefined) {
      // Skip invalid characters until the next semicolon.
      const next = s.indexOf(';', pos);
      if (next < 0) break;
      pos = next + 1;
      continue;
    }
    if (only === undefined || m[0] === only) {
      let v = m[1];
      if (v.length >= 2 && v.charCodeAt(0) === 0x22 && v.charCodeAt(v.length - 1) === 0x22)
        v = unquote(v);
      if (found(m[0], v)) return;
    }
    pos = m[2];
    if (pos >= n) break;
  }
}

/**
 * The value Flask reads for a cookie name: the first occurrence, or undefined.
 * Names are case-sensitive.
 */
export function getCookie(
  header: string | readonly string[] | null | undefined,
  name: string,
): string | undefined {
  if (!name) return undefined;
  const s = Array.isArray(header) ? header.join(';') : (header as string | null | undefined);
  if (!s) return undefined;
  if (!s.includes('"') && !NOT_IN_KEY.test(name)) return findUnquoted(s, name);
  let value: string | undefined;
  scanCookies(s, name, (_k, v) => {
    value = v;
    return true;
  });
  return value;
}

/** A character that cannot be in a key (`[ \t=";]`): a name with one never matches. */
const NOT_IN_KEY = /[ \t=";]/;

/**
 * {@link getCookie} for a header without a double quote (every browser's header for cookies set
 * by Flask). There a `;` always ends a pair, so each pair is matched alone: the first one whose
 * key is `name` and that matches the grammar in full gives the value.
 */
function findUnquoted(s: string, name: string): string | undefined {
  const n = s.length;
  let start = 0;
  for (;;) {
    let end = s.indexOf(';', start);
    if (end < 0) end = n;
    const k = skipBlanks(s, start);
    if (s.startsWith(name, k)) {
      const afterKey = k + name.length;
      const c = afterKey < end ? s.charCodeAt(afterKey) : 0x3b;
      if (c === 0x3b || c === 0x20 || c === 0x09 || c === 0x3d) {
        // key [ \t]* ( = [ \t]* value=[^ \t;]* )? [ \t]* then ; or the end
        const eq = skipBlanks(s, afterKey);
        if (eq >= end) return '';
        if (s.charCodeAt(eq) === 0x3d) {
          const v0 = skipBlanks(s, eq + 1);
          TOKEN_END.lastIndex = v0;
          const v1 = TOKEN_END.test(s) ? Math.min(TOKEN_END.lastIndex - 1, end) : end;
          if (skipBlanks(s, v1) >= end) return s.slice(v0, v1);
        }
      }
    }
    if (end >= n) return undefined;
    start = end + 1;
  }
}

/** Werkzeug's `MAX_COOKIE_SIZE`: browsers may drop a Set-Cookie value longer than this. */
export const MAX_COOKIE_SIZE = 4093;

/** Options of {@link dumpCookie}; the cookie attributes Werkzeug writes. */
export interface DumpCookieOptions {
  domain?: string | null | undefined;
  /** A Date, Unix seconds, or a preformatted string. */
  expires?: Date | number | string | null | undefined;
  maxAge?: number | null | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  path?: string | null | undefined;
  /** `Strict`, `Lax` or `None`, in any case. */
  sameSite?: string | null | undefined;
  partitioned?: boolean | undefined;
}

/** `urllib.parse.quote(path, safe="%!$&'()*+,/:=@")`. */
function quotePath(path: string): string {
  if (/^[A-Za-z0-9_.\-~%!$&'()*+,/:=@]*$/.test(path)) return path;
  let out = '';
  for (const ch of path) {
    if (/^[A-Za-z0-9_.\-~%!$&'()*+,/:=@]$/.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp >= 0xd800 && cp <= 0xdfff) throw new TypeError('"path" contains a lone surrogate');
      for (const b of utf8(ch)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

/** `domain.partition(":")[0].lstrip(".").encode("idna")`. */
function encodeDomain(domain: string): string {
  const d = domain.split(':')[0]!.replace(/^\.+/, '');
  if (/^[\x00-\x7f]*$/.test(d)) {
    const labels = d.split('.');
    for (let i = 0; i < labels.length; i++) {
      const n = labels[i]!.length;
      const last = i === labels.length - 1;
      if ((!last && n === 0) || n >= 64)
        throw new TypeError(`"domain" has an empty or too long label: ${domain}`);
    }
    return d;
  }
  try {
    return new URL(`http://${d}/`).hostname;
  } catch {
    throw new TypeError(`"domain" is not a valid internationalised domain name: ${domain}`);
  }
}

const SAMESITE: Record<string, string> = { strict: 'Strict', lax: 'Lax', none: 'None' };

/**
 * The `Set-Cookie` header value Werkzeug's `dump_cookie` writes: `name=value`, then `Domain`,
 * `Expires`, `Max-Age`, `Secure`, `HttpOnly`, `Path`, `SameSite`, `Partitioned`, joined by `"; "`.
 * `Partitioned` implies `Secure`. The value must not need quoting (Flask's never does).
 * @throws {@link TypeError} for an invalid `sameSite`, domain or path
 */
export function dumpCookie(name: string, value: string, options: DumpCookieOptions = {}): string {
  const buf = [`${String.fromCharCode(...utf8(name))}=${value}`];
  const { domain, maxAge, httpOnly, partitioned } = options;
  let { expires, sameSite, secure, path } = options;
  if (domain) buf.push(`Domain=${encodeDomain(domain)}`);
  if (expires !== null && expires !== undefined) {
    if (typeof expires !== 'string') expires = httpDate(expires);
    buf.push(`Expires=${expires}`);
  }
  if (maxAge !== null && maxAge !== undefined) buf.push(`Max-Age=${Math.trunc(maxAge)}`);
  if (partitioned) secure = true;
  if (secure) buf.push('Secure');
  if (httpOnly) buf.push('HttpOnly');
  if (path !== null && path !== undefined) buf.push(`Path=${quotePath(path)}`);
  if (sameSite !== null && sameSite !== undefined) {
    const s = SAMESITE[String(sameSite).toLowerCase()];
    if (!s) throw new TypeError("SameSite must be 'Strict', 'Lax', or 'None'.");
    buf.push(`SameSite=${s}`);
  }
  if (partitioned) buf.push('Partitioned');
  return buf.join('; ');
}

/**
 * Werkzeug's size warning text for a `Set-Cookie` value over the limit, or undefined if it fits.
 * @param name - the cookie name
 * @param value - the cookie value alone
 * @param header - the whole Set-Cookie value
 */
export function cookieSizeWarning(
  name: string,
  value: string,
  header: string,
  limit: number = MAX_COOKIE_SIZE,
): string | undefined {
  if (!limit || header.length <= limit) return undefined;
  return (
    `The '${name}' cookie is too large: the value was ${value.length} bytes but the` +
    ` header required ${header.length - value.length} extra bytes. The final size` +
    ` was ${header.length} bytes but the limit is ${limit} bytes. Browsers may` +
    ' silently ignore cookies larger than this.'
  );
}

/** A cookie read from a `Set-Cookie` header by {@link parseSetCookie}. */
export interface SetCookie {
  name: string;
  value: string;
  expires?: Date | undefined;
  maxAge?: number | undefined;
  domain?: string | undefined;
  path?: string | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  partitioned?: boolean | undefined;
  sameSite?: string | undefined;
}

const identity = (s: string): string => s;

/**
 * Reads a `Set-Cookie` header value (for example one a Flask response carries) into its parts,
 * values kept verbatim. Useful when Node talks to Flask over HTTP and must pick up the session.
 * @example
 * ```ts
 * const c = parseSetCookie(flaskResponse.headers.get('set-cookie')!);
 * loadSession(cookieHeader({ [c.name]: c.value }), secret);
 * ```
 */
export function parseSetCookie(header: string): SetCookie {
  const c = jsParseSetCookie(header, { decode: identity });
  const out: SetCookie = { name: c.name, value: c.value ?? '' };
  if (c.expires) out.expires = c.expires;
  if (c.maxAge !== undefined) out.maxAge = c.maxAge;
  if (c.domain) out.domain = c.domain;
  if (c.path) out.path = c.path;
  if (c.secure) out.secure = true;
  if (c.httpOnly) out.httpOnly = true;
  if (c.partitioned) out.partitioned = true;
  if (c.sameSite) out.sameSite = String(c.sameSite);
  return out;
}

/**
 * Builds a `Cookie` request header from name/value pairs (to call a Flask service with a session),
 * values kept verbatim.
 * @example
 * ```ts
 * await fetch(flaskUrl, { headers: { cookie: cookieHeader({ session: value }) } });
 * ```
 */
export function cookieHeader(cookies: Record<string, string>): string {
  return stringifyCookie(cookies, { encode: identity });
}

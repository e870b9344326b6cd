/**
 * JSON text exactly as Python's `json` module writes and reads it: Python float repr, exact
 * integers of any size, `NaN`/`Infinity`, code-point key order, `ensure_ascii` escaping.
 * Port of the parts of CPython's json package that Flask and itsdangerous use.
 * @module
 */

/**
 * A new prototype-less object. `Object.setPrototypeOf({}, null)` keeps V8's fast object layout
 * (`Object.create(null)` starts in dictionary mode): a third of the memory, and faster to fill.
 * @internal
 */
export function nullObject(): Record<string, unknown> {
  return Object.setPrototypeOf({}, null) as Record<string, unknown>;
}

/** A JSON object as this module reads it: a prototype-less record, so `__proto__` is plain data. */
export type JSONObject = { [key: string]: JSONValue };
/** What {@link pyDumps} writes and {@link pyLoads} reads. Integers outside ±(2**53-1) are bigints. */
export type JSONValue = null | boolean | number | bigint | string | JSONValue[] | JSONObject;

/** Python's default `sys.int_max_str_digits`: longer integers are refused in both directions. */
export const MAX_INT_DIGITS = 4300;

/**
 * Nesting depth {@link pyLoads} accepts by default. Flask 3.1 itself fails at about 498 levels
 * (Python's recursion limit), so nothing Flask can read is refused.
 */
export const DEFAULT_MAX_DEPTH = 500;

/** Options of {@link pyDumps}, named after `json.dumps`' arguments. */
export interface DumpsOptions {
  /** Sort object keys by code point (`sort_keys`). @default false */
  sortKeys?: boolean | undefined;
  /** Escape every non-ASCII character and DEL as `\uXXXX` (`ensure_ascii`). @default true */
  ensureAscii?: boolean | undefined;
  /** Item and key separators. @default [', ', ': '] */
  separators?: readonly [string, string] | undefined;
  /** Maximum nesting of arrays and objects. @default no limit but the stack */
  maxDepth?: number | undefined;
}

const HEX = '0123456789abcdef';

/** Whether a string needs no escaping at all (printable ASCII without `"` and `\`). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** Same, but non-ASCII is fine (`ensure_ascii=False`). */
const PLAIN_UNICODE = /^[^\x00-\x1f"\\]*$/;

/**
 * A string as a JSON literal, as Python writes it: `"`, `\`, `\b \f \n \r \t` short escapes,
 * other controls as `\u00xx`; with `ensureAscii`, every UTF-16 unit outside 0x20..0x7e as `\uxxxx`
 * (lowercase hex), so astral characters become surrogate-pair escapes.
 */
export function pyStringLiteral(s: string, ensureAscii = true): string {
  if ((ensureAscii ? PLAIN_ASCII : PLAIN_UNICODE).test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    if (!ensureAscii && c > 0x7e) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      default:
        out += '\\u' + HEX[c >> 12]! + HEX[(c >> 8) & 15]! + HEX[(c >> 4) & 15]! + HEX[c & 15]!;
    }
  }
  return out + s.slice(start) + '"';
}

/**
 * Python's `repr(float)`: shortest round-trip digits, fixed notation when the decimal exponent is
 * in -4..15, else `d.ddde±XX`; integral values keep `.0`; `NaN`, `Infinity`, `-Infinity`.
 * @example
 * ```ts
 * pyFloatRepr(1) // '1.0';  pyFloatRepr(1e16) // '1e+16';  pyFloatRepr(1e-5) // '1e-05'
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = x < 0 ? -x : x;
  if (abs >= 1e-4 && abs < 1e16) {
    // where both write fixed notation, JS's shortest round-trip digits are Python's
    const s = String(x);
    return s.indexOf('.') >= 0 ? s : s + '.0';
  }
  const sign = x < 0 ? '-' : '';
  const exp = Math.abs(x).toExponential(); // "d.ddde+N"
  const e = exp.indexOf('e');
  const digits = exp[0]! + exp.slice(2, e);
  const n = Number(exp.slice(e + 1));
  const decpt = n + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return sign + '0.' + '0'.repeat(-decpt) + digits;
    if (decpt >= digits.length) return sign + digits + '0'.repeat(decpt - digits.length) + '.0';
    return sign + digits.slice(0, decpt) + '.' + digits.slice(decpt);
  }
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const an = Math.abs(n);
  return sign + mant + 'e' + (n < 0 ? '-' : '+') + (an < 10 ? '0' : '') + an;
}

/** A JS number as Python writes it: an integer as an int, anything else as a float. */
export function pyNumber(v: number): string {
  if (Number.isInteger(v))
    return Number.isSafeInteger(v) ? String(v === 0 ? 0 : v) : BigInt(v).toString();
  return pyFloatRepr(v);
}

/** A bigint as Python writes an int, within Python's 4300-digit limit. */
export function pyBigInt(v: bigint): string {
  const s = v.toString();
  if (s.length - (v < 0n ? 1 : 0) > MAX_INT_DIGITS)
    throw new RangeError(
      `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion`,
    );
  return s;
}

/**
 * Compares two strings by Unicode code point, as Python compares `str` (a valid surrogate pair is
 * one code point; a lone surrogate is its own code point).
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const x = a.charCodeAt(i);
  const y = b.charCodeAt(i);
  if (x < 0xd800 && y < 0xd800) return x - y;
  // A difference inside a surrogate pair: compare whole code points from the pair's start.
  if (i > 0) {
    const p = a.charCodeAt(i - 1);
    if (
      p >= 0xd800 &&
      p <= 0xdbff &&
      ((x >= 0xdc00 && x <= 0xdfff) || (y >= 0xdc00 && y <= 0xdfff))
    )
      i--;
  }
  return a.codePointAt(i)! - b.codePointAt(i)!;
}

function typeName(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v !== 'object' || v === null) return typeof v;
  return (v as object).constructor?.name ?? 'Object';
}

/** Whether `v` is a plain object: prototype `Object.prototype` or `null`. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === null || p === Object.prototype;
}

/**
 * Python's `json.dumps(obj, ...)` for JSON-ready values. A JS number that is an integer is written as
 * a Python int, any other number as a Python float; a bigint as an int.
 * @throws {@link TypeError} for a value JSON cannot hold (`undefined`, a function, a class instance)
 * @throws {@link RangeError} for a circular structure, nesting past `maxDepth` or an integer past
 *   4300 digits
 */
export function pyDumps(value: unknown, options: DumpsOptions = {}): string {
  const sortKeys = options.sortKeys ?? false;
  const ascii = options.ensureAscii ?? true;
  const [itemSep, keySep] = options.separators ?? [', ', ': '];
  const maxDepth = options.maxDepth ?? Infinity;
  const stack = new Set<object>();
  const write = (v: unknown): string => {
    switch (typeof v) {
      case 'string':
        return pyStringLiteral(v, ascii);
      case 'number':
        return pyNumber(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return pyBigInt(v);
      case 'object': {
        if (v === null) return 'null';
        if (stack.has(v)) throw new RangeError('Circular reference detected');
        if (stack.size >= maxDepth)
          throw new RangeError(`Nesting deeper than ${maxDepth} levels: it could not be read back`);
        if (Array.isArray(v)) {
          stack.add(v);
          let out = '[';
          for (let i = 0; i < v.length; i++) out += (i ? itemSep : '') + write(v[i]);
          stack.delete(v);
          return out + ']';
        }
        if (isPlainObject(v)) {
          stack.add(v);
          const keys = Object.keys(v);
          if (sortKeys) keys.sort(compareCodePoints);
          let out = '{';
          for (let i = 0; i < keys.length; i++) {
            const k = keys[i]!;
            out += (i ? itemSep : '') + pyStringLiteral(k, ascii) + keySep + write(v[k]);
          }
          stack.delete(v);
          return out + '}';
        }
      }
    }
    throw new TypeError(`Object of type ${typeName(v)} is not JSON serializable`);
  };
  return write(value);
}

/** Options of {@link pyLoads}. */
export interface LoadsOptions {
  /**
   * Called with each object once its members are read, children first (Python's `object_hook`),
   * with the first key in text order; its result replaces the object.
   */
  objectHook?: ((obj: JSONObject, firstKey: string | undefined) => unknown) | undefined;
  /** Maximum nesting of arrays and objects. @default DEFAULT_MAX_DEPTH (500) */
  maxDepth?: number | undefined;
  /**
   * The hook has no side effects (it may run for a text that the exact parser then reads
   * again). @internal
   */
  pureHook?: boolean | undefined;
  /**
   * The hook changes only one-key objects whose key is in this set, and leaves every other object
   * as it is (where JS enumerates keys in text order): the fast path calls it for those only.
   * @internal
   */
  hookKeys?: { has(key: string): boolean } | undefined;
}

/** A JSON syntax error, with Python's message and the character offset. */
export class JSONDecodeError extends SyntaxError {
  /** Offset in the text where the error was found. */
  readonly pos: number;
  constructor(message: string, pos: number) {
    super(`${message}: char ${pos}`);
    this.name = 'JSONDecodeError';
    this.pos = pos;
  }
}

const SAFE_DIGITS = 15;

/**
 * Python's `json.loads(text)`: accepts `NaN`, `Infinity`, `-Infinity`; keeps integers exact
 * (a bigint beyond ±(2**53-1)); `-0` is the integer 0; duplicate keys keep the last value; raw
 * control characters in strings, a BOM, trailing commas and trailing data are errors.
 * Objects are prototype-less, so keys such as `__proto__` are data.
 * @throws {@link JSONDecodeError} for invalid JSON
 * @throws {@link RangeError} past `maxDepth` or for an integer past 4300 digits
 */
export function pyLoads(text: string, options: LoadsOptions = {}): unknown {
  const hook = options.objectHook;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const r = fromNative(text, hook, maxDepth, options.pureHook === true, options.hookKeys);
  return r !== BAIL ? r : parsePython(text, hook, maxDepth);
}

const BAIL: unique symbol = Symbol('bail');
/**
 * A number JSON.parse may have read differently from Python: an integral or infinite value past
 * 2**53 (maybe a big int, rounded or overflowed) or -0 (maybe the int `-0`, Python's 0). The
 * tokens NaN and Infinity make JSON.parse throw, which also sends the text to the exact parser.
 */
const doubtful = (x: number): boolean =>
  x === 0
    ? 1 / x < 0
    : !(x < 9007199254740992 && x > -9007199254740992) &&
      (Number.isInteger(x) || !Number.isFinite(x));
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The fast path: the engine's JSON.parse, then one pass over what it built that makes objects
 * prototype-less (in place), checks numbers and depth, and applies the hook children first.
 * Bails out (to the exact parser) on a syntax error, on a number JSON.parse may have read
 * differently from Python, and where the text order of keys is needed but lost (an object whose
 * first key is an array index). A hook that is not pure (a serializer with tags of its own) first
 * gets a pass that only checks, so that it never runs for a text that then bails out.
 */
function fromNative(
  text: string,
  hook: LoadsOptions['objectHook'],
  maxDepth: number,
  pureHook: boolean,
  hookKeys: { has(key: string): boolean } | undefined,
): unknown | typeof BAIL {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return BAIL;
  }
  if (typeof parsed !== 'object' || parsed === null)
    return typeof parsed === 'number' && doubtful(parsed) ? BAIL : parsed;
  if (hook !== undefined && !pureHook && !fits(parsed, 1, maxDepth)) return BAIL;
  return convert(parsed, 1, hook, maxDepth, hookKeys);
}

/** Whether `v` reads as Python reads it (see {@link fromNative}). */
function fits(v: unknown, depth: number, maxDepth: number): boolean {
  if (typeof v !== 'object' || v === null) return typeof v !== 'number' || !doubtful(v);
  if (depth > maxDepth) throw new RangeError(`JSON nesting deeper than ${maxDepth} levels`);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!fits(v[i], depth + 1, maxDepth)) return false;
    return true;
  }
  let count = 0;
  for (const k in v) {
    if (count++ === 0 && firstKeyLost(k, v)) return false;
    if (!fits((v as Record<string, unknown>)[k], depth + 1, maxDepth)) return false;
  }
  return true;
}

/** JS enumerates array-index keys first: with more keys, the text's first key is unknown. */
function firstKeyLost(k: string, v: object): boolean {
  const c = k.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && ARRAY_INDEX.test(k) && Object.keys(v).length > 1;
}

/** The object or array `v` (from JSON.parse) made Python's, in place; BAIL as {@link fits}. */
function convert(
  v: object,
  depth: number,
  hook: LoadsOptions['objectHook'],
  maxDepth: number,
  hookKeys: { has(key: string): boolean } | undefined,
): unknown | typeof BAIL {
  if (depth > maxDepth) throw new RangeError(`JSON nesting deeper than ${maxDepth} levels`);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object') {
        if (x === null) continue;
        const y = convert(x, depth + 1, hook, maxDepth, hookKeys);
        if (y === BAIL) return BAIL;
        v[i] = y;
      } else if (typeof x === 'number' && doubtful(x)) return BAIL;
    }
    return v;
  }
  const obj = v as Record<string, unknown>;
  let first: string | undefined;
  let n = 0;
  for (const k in obj) {
    if (n++ === 0) {
      if (firstKeyLost(k, obj)) return BAIL;
      first = k;
    }
    const x = obj[k];
    if (typeof x === 'object') {
      if (x === null) continue;
      const y = convert(x, depth + 1, hook, maxDepth, hookKeys);
      if (y === BAIL) return BAIL;
      obj[k] = y;
    } else if (typeof x === 'number' && doubtful(x)) return BAIL;
  }
  Object.setPrototypeOf(obj, null);
  if (hook === undefined || (hookKeys !== undefined && (n !== 1 || !hookKeys.has(first!))))
    return obj;
  return hook(obj as JSONObject, first);
}

/** The exact parser: Python's json.loads grammar, character by character. */
function parsePython(text: string, hook: LoadsOptions['objectHook'], maxDepth: number): unknown {
  const len = text.length;
  let i = 0;
  let depth = 0;

  const fail = (msg: string, at = i): never => {
    throw new JSONDecodeError(msg, at);
  };
  const ws = (): void => {
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const str = (): string => {
    // i is just past the opening quote
    const begin = i - 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= len) return fail('Unterminated string starting at', begin);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i++);
        return out;
      }
      if (c < 0x20) return fail('Invalid control character at');
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(start, i);
      const e = text[i + 1];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          const h = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(h)) return fail('Invalid \\uXXXX escape', i + 1);
          out += String.fromCharCode(parseInt(h, 16));
          i += 4;
          break;
        }
        case undefined:
          return fail('Unterminated string starting at', begin);
        default:
          return fail('Invalid \\escape', i);
      }
      i += 2;
      start = i;
    }
  };
  const num = (): number | bigint => {
    const begin = i;
    if (text.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    const c0 = text.charCodeAt(i);
    if (c0 === 0x30) i++;
    else if (c0 >= 0x31 && c0 <= 0x39) {
      while (i < len && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    } else return fail('Expecting value', begin);
    const intEnd = i;
    let isFloat = false;
    if (text.charCodeAt(i) === 0x2e) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39) {
        i += 2;
        while (i < len && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
        isFloat = true;
      }
    }
    const ec = text.charCodeAt(i);
    if (ec === 0x65 || ec === 0x45) {
      let j = i + 1;
      const s = text.charCodeAt(j);
      if (s === 0x2b || s === 0x2d) j++;
      const d = text.charCodeAt(j);
      if (d >= 0x30 && d <= 0x39) {
        while (j < len && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
        i = j;
        isFloat = true;
      }
    }
    const lit = text.slice(begin, i);
    if (isFloat) return Number(lit);
    const ndigits = intEnd - intStart;
    if (ndigits <= SAFE_DIGITS) {
      const n = Number(lit);
      return n === 0 ? 0 : n;
    }
    if (ndigits > MAX_INT_DIGITS)
      throw new RangeError(
        `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion`,
      );
    const b = BigInt(lit);
    return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  };
  const value = (): unknown => {
    if (i >= len) return fail('Expecting value');
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x22:
        i++;
        return str();
      case 0x7b: {
        if (++depth > maxDepth) throw new RangeError(`JSON nesting deeper than ${maxDepth} levels`);
        i++;
        const obj = nullObject() as JSONObject;
        let first: string | undefined;
        ws();
        if (text.charCodeAt(i) === 0x7d) {
          i++;
        } else {
          for (;;) {
            if (text.charCodeAt(i) !== 0x22)
              return fail('Expecting property name enclosed in double quotes');
            i++;
            const k = str();
            ws();
            if (text.charCodeAt(i) !== 0x3a) return fail("Expecting ':' delimiter");
            i++;
            ws();
            const v = value() as JSONValue;
            if (first === undefined) first = k;
            obj[k] = v;
            ws();
            const d = text.charCodeAt(i);
            if (d === 0x7d) {
              i++;
              break;
            }
            if (d !== 0x2c) return fail("Expecting ',' delimiter");
            i++;
            ws();
          }
        }
        depth--;
        return hook ? hook(obj, first) : obj;
      }
      case 0x5b: {
        if (++depth > maxDepth) throw new RangeError(`JSON nesting deeper than ${maxDepth} levels`);
        i++;
        const arr: unknown[] = [];
        ws();
        if (text.charCodeAt(i) === 0x5d) {
          i++;
        } else {
          for (;;) {
            arr.push(value());
            ws();
            const d = text.charCodeAt(i);
            if (d === 0x5d) {
              i++;
              break;
            }
            if (d !== 0x2c) return fail("Expecting ',' delimiter");
            i++;
            ws();
          }
        }
        depth--;
        return arr;
      }
      case 0x6e:
        if (text.startsWith('null', i)) return ((i += 4), null);
        break;
      case 0x74:
        if (text.startsWith('true', i)) return ((i += 4), true);
        break;
      case 0x66:
        if (text.startsWith('false', i)) return ((i += 5), false);
        break;
      case 0x4e:
        if (text.startsWith('NaN', i)) return ((i += 3), NaN);
        break;
      case 0x49:
        if (text.startsWith('Infinity', i)) return ((i += 8), Infinity);
        break;
      case 0x2d:
        if (text.startsWith('-Infinity', i)) return ((i += 9), -Infinity);
        return num();
      default:
        if (c >= 0x30 && c <= 0x39) return num();
    }
    return fail('Expecting value');
  };

  if (text.charCodeAt(0) === 0xfeff) fail('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
  ws();
  const v = value();
  ws();
  if (i !== len) fail('Extra data');
  return v;
}

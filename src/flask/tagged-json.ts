/**
 * Flask's tagged JSON: JSON that also carries tuples, bytes, Markup, UUIDs and datetimes, through
 * one-key objects such as `{" t": [...]}`. Port of flask/json/tag.py.
 * @module
 */

import { b64decodeStandard, b64encodeStandard } from '../itsdangerous/encoding.ts';
import { DateOverflow, httpDate, parseDate } from '../werkzeug/http-date.ts';
import { isBytes } from '../_internal/bytes.ts';
import {
  compareCodePoints,
  pyBigInt,
  pyNumber,
  DEFAULT_MAX_DEPTH,
  isPlainObject,
  pyDumps,
  pyFloatRepr,
  pyLoads,
  type JSONObject,
} from '../python/json.ts';
import { Markup, UUID, asTuple, isTuple } from '../python/types.ts';

/**
 * A value a Flask session can hold, in its JavaScript form. See the type mapping in the README:
 * a Python `float` with an integral value (`1.0`) is read as the number `1` and written back as
 * the `int` `1`.
 */
export type SessionValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Date
  | Markup
  | UUID
  | readonly SessionValue[]
  | SessionValue[]
  | SessionData;

/** A session dict. Loaded sessions are prototype-less objects, so any key is plain data. */
export interface SessionData {
  [key: string]: SessionValue;
}

/**
 * One tag of the serializer (Flask's `JSONTag`). Subclass it and {@link TaggedJSONSerializer.register}
 * the class to carry a type of your own; Flask needs the same tag registered on its side.
 * @example
 * ```ts
 * class TagSet extends JSONTag<Set<unknown>> {
 *   key = ' s';
 *   check(v: unknown) { return v instanceof Set; }
 *   toJSON(v: Set<unknown>) { return [...v].map((x) => this.serializer.tag(x)); }
 *   toPython(v: unknown) { return new Set(v as unknown[]); }
 * }
 * serializer.register(TagSet);
 * ```
 */
export abstract class JSONTag<T = unknown> {
  /** The tag key, e.g. `' t'`; empty for tags that only recurse (dict, list). */
  abstract readonly key: string;
  /** The serializer this tag belongs to, for tagging nested values. */
  readonly serializer: TaggedJSONSerializer;
  constructor(serializer: TaggedJSONSerializer) {
    this.serializer = serializer;
  }
  /** Whether this tag handles `value`. */
  abstract check(value: unknown): boolean;
  /** Converts the value to a JSON-ready value (tag nested values with `serializer.tag`). */
  abstract toJSON(value: T): unknown;
  /** Converts the JSON value back; called with nested values already untagged. */
  abstract toPython(value: unknown): unknown;
  /** Wraps the converted value in `{key: ...}`. */
  tag(value: T): unknown {
    const o = Object.create(null) as Record<string, unknown>;
    o[this.key] = this.toJSON(value);
    return o;
  }
}

/** Python's `len()` of a string: code points. */
function sliceCodePoints(s: string, end: number): string {
  if (!/[\ud800-\udfff]/.test(s)) return s.slice(0, Math.max(0, s.length + end));
  const cps = Array.from(s);
  return cps.slice(0, Math.max(0, cps.length + end)).join('');
}

/** First key of a loaded dict in text order, where JS key order differs (array-index keys). */
const FIRST_KEYS = new WeakMap<object, string>();

function firstKeyOf(o: Record<string, unknown>): string | undefined {
  const k = FIRST_KEYS.get(o);
  if (k !== undefined) return k;
  for (const key in o) return key;
  return undefined;
}

/** `iter(value)` for a value loaded from JSON, as Python iterates it; undefined if not iterable. */
function pyIter(v: unknown): unknown[] | undefined {
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof Markup) return Array.from(v.value);
  if (Array.isArray(v)) return v;
  if (isBytes(v)) return Array.from(v);
  if (isPlainObject(v)) return Object.keys(v);
  return undefined;
}

/** Python's `str()` of a loaded scalar, for `Markup(value)`. */
function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (v instanceof Markup) return v.value;
  throw new TypeError('Markup of a container or a tagged object is not supported');
}

class TagDict extends JSONTag<Record<string, unknown>> {
  readonly key = ' di';
  check(v: unknown): boolean {
    if (!isPlainObject(v)) return false;
    let only: string | undefined;
    let n = 0;
    for (const k in v) {
      if (++n > 1) return false;
      only = k;
    }
    return n === 1 && this.serializer.tags.has(only!);
  }
  toJSON(v: Record<string, unknown>): unknown {
    const key = Object.keys(v)[0]!;
    const o = Object.create(null) as Record<string, unknown>;
    o[key + '__'] = this.serializer.tag(v[key]);
    return o;
  }
  toPython(v: unknown): unknown {
    if (!isPlainObject(v)) throw new TypeError('" di" expects an object');
    const key = firstKeyOf(v);
    if (key === undefined) throw new TypeError('" di" of an empty object');
    const o = Object.create(null) as Record<string, unknown>;
    o[sliceCodePoints(key, -2)] = v[key];
    return o;
  }
}

class PassDict extends JSONTag<Record<string, unknown>> {
  readonly key = '';
  check(v: unknown): boolean {
    return isPlainObject(v);
  }
  toJSON(v: Record<string, unknown>): unknown {
    const o = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v)) o[k] = this.serializer.tag(v[k]);
    return o;
  }
  override tag(v: Record<string, unknown>): unknown {
    return this.toJSON(v);
  }
  toPython(v: unknown): unknown {
    return v;
  }
}

class TagTuple extends JSONTag<readonly unknown[]> {
  readonly key = ' t';
  check(v: unknown): boolean {
    return isTuple(v);
  }
  toJSON(v: readonly unknown[]): unknown {
    return v.map((x) => this.serializer.tag(x));
  }
  toPython(v: unknown): unknown {
    const items = pyIter(v);
    if (!items) throw new TypeError(`'${typeof v}' object is not iterable`);
    return asTuple(items === v ? (v as unknown[]).slice() : items);
  }
}

class PassList extends JSONTag<readonly unknown[]> {
  readonly key = '';
  check(v: unknown): boolean {
    return Array.isArray(v);
  }
  toJSON(v: readonly unknown[]): unknown {
    return v.map((x) => this.serializer.tag(x));
  }
  override tag(v: readonly unknown[]): unknown {
    return this.toJSON(v);
  }
  toPython(v: unknown): unknown {
    return v;
  }
}

class TagBytes extends JSONTag<Uint8Array> {
  readonly key = ' b';
  check(v: unknown): boolean {
    return isBytes(v);
  }
  toJSON(v: Uint8Array): unknown {
    return b64encodeStandard(v);
  }
  toPython(v: unknown): unknown {
    if (typeof v === 'string') return b64decodeStandard(v);
    if (v instanceof Markup) return b64decodeStandard(v.value);
    if (isBytes(v)) {
      let text = '';
      for (const b of v) text += b < 0x80 ? String.fromCharCode(b) : '!'; // non-ASCII bytes are skipped
      return b64decodeStandard(text);
    }
    throw new TypeError('argument should be a bytes-like object or ASCII string');
  }
}

class TagMarkup extends JSONTag<{ __html__(): unknown }> {
  readonly key = ' m';
  check(v: unknown): boolean {
    return (
      typeof v === 'object' &&
      v !== null &&
      typeof (v as { __html__?: unknown }).__html__ === 'function'
    );
  }
  toJSON(v: { __html__(): unknown }): unknown {
    return String(v.__html__());
  }
  toPython(v: unknown): unknown {
    return new Markup(pyStr(v));
  }
}

class TagUUID extends JSONTag<UUID> {
  readonly key = ' u';
  check(v: unknown): boolean {
    return v instanceof UUID;
  }
  toJSON(v: UUID): unknown {
    return v.hex;
  }
  toPython(v: unknown): unknown {
    if (v instanceof Markup) return new UUID(v.value);
    if (typeof v !== 'string') throw new TypeError('UUID expects a string');
    return new UUID(v);
  }
}

class TagDateTime extends JSONTag<Date> {
  readonly key = ' d';
  check(v: unknown): boolean {
    return v instanceof Date;
  }
  toJSON(v: Date): unknown {
    return httpDate(v);
  }
  toPython(v: unknown): unknown {
    if (typeof v === 'string') return httpDateFast(v) ?? parseDate(v);
    if (v instanceof Markup) return parseDate(v.value);
    // parse_date: a falsy value is "no date" (None); anything else fails on `.split()`
    const items = pyIter(v);
    const falsy =
      v === null ||
      v === false ||
      v === 0 ||
      v === 0n ||
      (items !== undefined && items.length === 0);
    if (falsy) return null;
    throw new TypeError(`parse_date expects a string, got ${typeof v}`);
  }
}

/** The date Flask writes (`http_date`): `Sat, 20 Nov 2026 08:30:00 GMT`, years 1000..9999. */
const HTTP_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-3]\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]\d{3}) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) GMT$/;
const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * `parse_date` of a date in exactly the form Flask writes, without the general parser; undefined
 * for any other text (and for a day the month does not have), which then takes `parseDate`.
 */
function httpDateFast(s: string): Date | undefined {
  const m = HTTP_DATE.exec(s);
  if (m === null) return undefined;
  const day = Number(m[1]);
  const month = MONTHS.indexOf(m[2]!) / 3;
  const ms = Date.UTC(Number(m[3]), month, day, Number(m[4]), Number(m[5]), Number(m[6]));
  const d = new Date(ms);
  return d.getUTCDate() === day && d.getUTCMonth() === month ? d : undefined;
}

/** A class of tag, as {@link TaggedJSONSerializer.register} takes it. */
export type JSONTagClass = new (serializer: TaggedJSONSerializer) => JSONTag<any>;

/** Options of {@link TaggedJSONSerializer}. */
export interface TaggedJSONOptions {
  /**
   * Sort keys by code point, as Flask does inside a request (`DefaultJSONProvider.sort_keys`).
   * @default true
   */
  sortKeys?: boolean | undefined;
  /** Maximum nesting accepted by {@link TaggedJSONSerializer.loads}. @default 500 */
  maxDepth?: number | undefined;
}

/**
 * Flask's `TaggedJSONSerializer` (the session serializer): tags in Flask's order (`" di"`, dict,
 * `" t"`, list, `" b"`, `" m"`, `" u"`, `" d"`), compact separators, keys sorted by code point and
 * every non-ASCII character escaped, exactly as Flask writes sessions inside a request.
 * @example
 * ```ts
 * const s = new TaggedJSONSerializer();
 * s.dumps({ b: tuple(1, 'a'), a: new Uint8Array([0]) }); // '{"a":{" b":"AA=="},"b":{" t":[1,"a"]}}'
 * ```
 */
export class TaggedJSONSerializer {
  /** Tags by key, for untagging. */
  readonly tags: Map<string, JSONTag<any>> = new Map();
  /** Tags in the order their `check` is tried. */
  readonly order: JSONTag<any>[] = [];
  readonly sortKeys: boolean;
  readonly maxDepth: number;

  /** Only Flask's eight tags, in Flask's order: {@link dumps} can take the single-pass writer. */
  private builtinOnly = false;

  constructor(options: TaggedJSONOptions = {}) {
    this.sortKeys = options.sortKeys ?? true;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    for (const T of [
      TagDict,
      PassDict,
      TagTuple,
      PassList,
      TagBytes,
      TagMarkup,
      TagUUID,
      TagDateTime,
    ])
      this.register(T);
    this.builtinOnly = true;
  }

  /**
   * Registers a tag class (Flask's `register`).
   * @param options.force - replace a tag with the same key
   * @param options.index - position in the check order; default: last
   * @throws {@link Error} when the key is taken and `force` is not set
   */
  register(tagClass: JSONTagClass, options: { force?: boolean; index?: number } = {}): void {
    const tag = new tagClass(this);
    if (tag.key) {
      if (!options.force && this.tags.has(tag.key))
        throw new Error(`Tag '${tag.key}' is already registered.`);
      this.tags.set(tag.key, tag);
    }
    if (options.index === undefined) this.order.push(tag);
    else this.order.splice(options.index, 0, tag);
    this.builtinOnly = false;
  }

  /** Converts a value to its tagged, JSON-ready form. */
  tag(value: unknown): unknown {
    for (const t of this.order) if (t.check(value)) return t.tag(value);
    return value;
  }

  /** Converts a loaded object back if it is a one-key object with a registered tag key. */
  untag(value: JSONObject, firstKey?: string): unknown {
    let key: string | undefined;
    let n = 0;
    for (const k in value) {
      if (++n > 1) break;
      key = k;
    }
    if (n === 1) {
      const tag = this.tags.get(key!);
      if (tag) {
        return tag.toPython(value[key!]);
      }
    }
    // `key` is the first key JS enumerates (a new object has no FIRST_KEYS entry yet)
    if (firstKey !== undefined && n > 0 && firstKey !== key) FIRST_KEYS.set(value, firstKey);
    return value;
  }

  /**
   * Tags and writes a value as Flask does.
   * @throws {@link TypeError} for a value Flask could not write (undefined, a function, a Set...)
   * @throws {@link RangeError} for a date outside years 1..9999, a circular structure, nesting
   *   deeper than `maxDepth` (it could not be read back), or an integer past 4300 digits
   */
  dumps(value: unknown): string {
    if (this.builtinOnly && this.sortKeys)
      return decodeAndZero(writeTaggedBytes(value, this.maxDepth));
    return pyDumps(this.tag(value), {
      sortKeys: this.sortKeys,
      ensureAscii: true,
      separators: [',', ':'],
      maxDepth: this.maxDepth,
    });
  }

  /**
   * {@link dumps} as ASCII bytes in a shared buffer, valid until the next call (zero them once
   * used); undefined when the serializer has tags of its own (use {@link dumps}). @internal
   */
  dumpsBytes(value: unknown): Uint8Array | undefined {
    return this.builtinOnly && this.sortKeys ? writeTaggedBytes(value, this.maxDepth) : undefined;
  }

  /**
   * Reads JSON text and untags it, as Flask does.
   * @param maxDepth - nesting limit for this call (the serializer's by default)
   * @throws {@link SyntaxError}, {@link TypeError} or {@link RangeError} where Flask would raise
   */
  loads(text: string, maxDepth: number = this.maxDepth): unknown {
    try {
      return pyLoads(text, {
        objectHook: (o, first) => this.untag(o, first),
        maxDepth,
        // Flask's own tags only make values: the fast path may untag a text it then bails out of
        pureHook: this.builtinOnly,
        // untag changes one-key objects with a tag's key only (JS's key order is the text's there)
        hookKeys:
          this.builtinOnly && this.untag === TaggedJSONSerializer.prototype.untag
            ? this.tags
            : undefined,
      });
    } catch (e) {
      if (e instanceof DateOverflow) throw new RangeError(e.message);
      throw e;
    }
  }
}

/** The text of shared-buffer bytes, which are then zeroed. */
function decodeAndZero(bytes: Uint8Array): string {
  const text = textDecoder.decode(bytes);
  bytes.fill(0);
  return text;
}

const TAG_KEYS = new Set([' di', ' t', ' b', ' m', ' u', ' d']);

// The single-pass writer's output buffer (writing is synchronous, so one buffer serves all calls).
let buf = new Uint8Array(4096);
let at = 0;
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

function room(n: number): void {
  if (at + n <= buf.length) return;
  const bigger = new Uint8Array(Math.max(buf.length * 2, at + n + 1024));
  bigger.set(buf.subarray(0, at));
  buf = bigger;
}

/** ASCII text, as it is. */
function putAscii(s: string): void {
  const n = s.length;
  room(n);
  const b = buf;
  let p = at;
  for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
  at = p;
}

/**
 * A string literal with Python's `ensure_ascii` escapes (see pyStringLiteral), in one pass: printable
 * ASCII is copied, anything else escaped.
 */
function putString(s: string): void {
  room(s.length * 6 + 2);
  const b = buf;
  let p = at;
  b[p++] = 0x22;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) {
      b[p++] = c;
      continue;
    }
    b[p++] = 0x5c;
    switch (c) {
      case 0x22:
        b[p++] = 0x22;
        break;
      case 0x5c:
        b[p++] = 0x5c;
        break;
      case 0x08:
        b[p++] = 0x62;
        break;
      case 0x0c:
        b[p++] = 0x66;
        break;
      case 0x0a:
        b[p++] = 0x6e;
        break;
      case 0x0d:
        b[p++] = 0x72;
        break;
      case 0x09:
        b[p++] = 0x74;
        break;
      default:
        b[p++] = 0x75;
        b[p++] = HEX[c >> 12]!;
        b[p++] = HEX[(c >> 8) & 15]!;
        b[p++] = HEX[(c >> 4) & 15]!;
        b[p++] = HEX[c & 15]!;
    }
  }
  b[p++] = 0x22;
  at = p;
}

/**
 * Flask's eight tags and `json.dumps(sort_keys=True, ensure_ascii=True, separators=(",", ":"))`
 * in one pass, into a byte buffer, without building the tagged tree: the same text as
 * `pyDumps(tag(value))`, checked by the test suite against that and against Flask.
 * @returns the JSON bytes in a shared buffer, valid until the next call: the caller zeroes them
 *   once used (`fill(0)`), so the buffer never keeps a session; a failed write zeroes what it wrote
 */
let active = 0;

export function writeTaggedBytes(root: unknown, maxDepth: number): Uint8Array {
  if (active > 0) {
    // re-entered from an __html__() that serializes: write the inner value into a buffer of its own
    const outerBuf = buf;
    const outerAt = at;
    buf = new Uint8Array(256);
    try {
      return writeTaggedBytesNow(root, maxDepth).slice();
    } finally {
      buf = outerBuf;
      at = outerAt;
    }
  }
  return writeTaggedBytesNow(root, maxDepth);
}

function writeTaggedBytesNow(root: unknown, maxDepth: number): Uint8Array {
  at = 0;
  active++;
  try {
    return writeAll(root, maxDepth);
  } catch (e) {
    buf.fill(0, 0, at);
    throw e;
  } finally {
    active--;
  }
}

function writeAll(root: unknown, maxDepth: number): Uint8Array {
  const stack: object[] = [];
  const write = (v: unknown): void => {
    switch (typeof v) {
      case 'string':
        putString(v);
        return;
      case 'number':
        putAscii(pyNumber(v));
        return;
      case 'boolean':
        putAscii(v ? 'true' : 'false');
        return;
      case 'bigint':
        putAscii(pyBigInt(v));
        return;
      case 'object': {
        if (v === null) {
          putAscii('null');
          return;
        }
        if (stack.length >= maxDepth)
          throw new RangeError(`Nesting deeper than ${maxDepth} levels: it could not be read back`);
        if (stack.includes(v)) throw new RangeError('Circular reference detected');
        if (isPlainObject(v)) {
          const keys = Object.keys(v);
          stack.push(v);
          if (keys.length === 1 && TAG_KEYS.has(keys[0]!)) {
            // TagDict: a one-key dict whose key looks like a tag
            const k = keys[0]!;
            putAscii('{" di":{');
            putString(k + '__');
            putAscii(':');
            write(v[k]);
            putAscii('}}');
          } else {
            if (keys.length > 1) sortKeys(keys);
            room(1);
            buf[at++] = 0x7b;
            for (let i = 0; i < keys.length; i++) {
              const k = keys[i]!;
              if (i) {
                room(1);
                buf[at++] = 0x2c;
              }
              putString(k);
              room(1);
              buf[at++] = 0x3a;
              write(v[k]);
            }
            room(1);
            buf[at++] = 0x7d;
          }
          stack.pop();
          return;
        }
        if (Array.isArray(v)) {
          const t = isTuple(v);
          stack.push(v);
          putAscii(t ? '{" t":[' : '[');
          for (let i = 0; i < v.length; i++) {
            if (i) {
              room(1);
              buf[at++] = 0x2c;
            }
            write(v[i]);
          }
          putAscii(t ? ']}' : ']');
          stack.pop();
          return;
        }
        if (isBytes(v)) {
          putAscii('{" b":"');
          putAscii(b64encodeStandard(v));
          putAscii('"}');
          return;
        }
        const html = (v as { __html__?: unknown }).__html__;
        if (typeof html === 'function') {
          putAscii('{" m":');
          putString(String(html.call(v)));
          putAscii('}');
          return;
        }
        if (v instanceof UUID) {
          putAscii('{" u":"' + v.hex + '"}');
          return;
        }
        if (v instanceof Date) {
          putAscii('{" d":"' + httpDate(v) + '"}');
          return;
        }
      }
    }
    throw new TypeError(
      `Object of type ${v === undefined ? 'undefined' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'Object') : typeof v} is not JSON serializable`,
    );
  };
  write(root);
  return buf.subarray(0, at);
}

const textDecoder = /* @__PURE__ */ new TextDecoder();

/** Sorts keys by code point; an insertion sort for the few keys of most dicts (sort() allocates). */
function sortKeys(keys: string[]): void {
  const n = keys.length;
  if (n > 24) {
    keys.sort(compareCodePoints);
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && compareCodePoints(keys[j]!, k) > 0) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

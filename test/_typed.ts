/**
 * The fixtures' lossless encoding of Python values (written by scripts/make_fixtures.py), and a
 * deep equality for session values. Test helper.
 */
import {
  Markup,
  UUID,
  isTuple,
  tuple,
  type DumpSessionOptions,
  type SessionValue,
} from '../src/index.ts';

export type Typed =
  | null
  | boolean
  | string
  | { int: string }
  | { float: string }
  | { list: Typed[] }
  | { tuple: Typed[] }
  | { dict: [string, Typed][] }
  | { bytes: string }
  | { markup: string }
  | { uuid: string }
  | { datetime: number };

const PY_FLOATS: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

/** Python value (typed encoding) -> this library's JavaScript form. */
export function fromTyped(t: Typed): SessionValue {
  if (t === null || typeof t === 'boolean' || typeof t === 'string') return t;
  if ('int' in t) {
    const b = BigInt(t.int);
    return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
  }
  if ('float' in t) return t.float in PY_FLOATS ? PY_FLOATS[t.float]! : Number(t.float);
  if ('list' in t) return t.list.map(fromTyped);
  if ('tuple' in t) return tuple(...t.tuple.map(fromTyped));
  if ('dict' in t) {
    const o = Object.create(null) as Record<string, SessionValue>;
    for (const [k, v] of t.dict) o[k] = fromTyped(v);
    return o;
  }
  if ('bytes' in t) return Uint8Array.from(t.bytes.match(/../g) ?? [], (h) => parseInt(h, 16));
  if ('markup' in t) return new Markup(t.markup);
  if ('uuid' in t) return new UUID(t.uuid);
  if ('datetime' in t) return new Date(t.datetime);
  throw new Error(`unknown typed value ${JSON.stringify(t)}`);
}

/** Whether a typed value holds a Python float with an integral value (1.0, -0.0, 1e16). */
export function hasIntegralFloat(t: Typed): boolean {
  if (t === null || typeof t !== 'object') return false;
  if ('float' in t) {
    const x = t.float in PY_FLOATS ? NaN : Number(t.float);
    return Number.isInteger(x);
  }
  if ('list' in t) return t.list.some(hasIntegralFloat);
  if ('tuple' in t) return t.tuple.some(hasIntegralFloat);
  if ('dict' in t) return t.dict.some(([, v]) => hasIntegralFloat(v));
  return false;
}

/** Whether a typed value holds a datetime in years 1..99, which Flask itself reads back as 19xx/20xx. */
export function hasTwoDigitYear(t: Typed): boolean {
  if (t === null || typeof t !== 'object') return false;
  if ('datetime' in t) return new Date(t.datetime).getUTCFullYear() < 100;
  if ('list' in t) return t.list.some(hasTwoDigitYear);
  if ('tuple' in t) return t.tuple.some(hasTwoDigitYear);
  if ('dict' in t) return t.dict.some(([, v]) => hasTwoDigitYear(v));
  return false;
}

/** Deep equality of session values, type for type (tuple vs list, bigint vs number, -0 vs 0 aside). */
export function sameValue(a: unknown, b: unknown, path = '$'): string | undefined {
  const fail = (why: string) => `${path}: ${why}`;
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) && Number.isNaN(b)) return undefined;
    return a === b ? undefined : fail(`${a} !== ${b}`);
  }
  if (typeof a !== typeof b) return fail(`type ${typeof a} !== ${typeof b}`);
  if (a === null || b === null || typeof a !== 'object')
    return a === b ? undefined : fail(`${String(a)} !== ${String(b)}`);
  if (a instanceof Date || b instanceof Date) {
    if (!(a instanceof Date && b instanceof Date)) return fail('Date vs non-Date');
    return a.getTime() === b.getTime()
      ? undefined
      : fail(`${a.toISOString()} !== ${b.toISOString()}`);
  }
  if (a instanceof Markup || b instanceof Markup)
    return a instanceof Markup && b instanceof Markup && a.value === b.value
      ? undefined
      : fail('Markup differs');
  if (a instanceof UUID || b instanceof UUID)
    return a instanceof UUID && b instanceof UUID && a.hex === b.hex
      ? undefined
      : fail('UUID differs');
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return fail('bytes vs non-bytes');
    return a.length === b.length && a.every((x, i) => x === b[i])
      ? undefined
      : fail('bytes differ');
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b))) return fail('array vs non-array');
    if (isTuple(a) !== isTuple(b)) return fail(`tuple ${isTuple(a)} vs ${isTuple(b)}`);
    if (a.length !== b.length) return fail(`length ${a.length} !== ${b.length}`);
    for (let i = 0; i < a.length; i++) {
      const r = sameValue(a[i], b[i], `${path}[${i}]`);
      if (r) return r;
    }
    return undefined;
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b as object).sort();
  if (ka.join('\0') !== kb.join('\0'))
    return fail(`keys ${JSON.stringify(ka)} !== ${JSON.stringify(kb)}`);
  for (const k of ka) {
    const r = sameValue(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (r) return r;
  }
  return undefined;
}

/** This library's JavaScript value -> the typed encoding the Flask oracle reads. */
export function toTyped(v: unknown): Typed {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { int: v.toString() };
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return { int: BigInt(v).toString() };
    // String(x) is the shortest round-trip text; Python's float() parses it to the same double
    return { float: String(v) };
  }
  if (v instanceof Uint8Array)
    return { bytes: Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') };
  if (v instanceof Markup) return { markup: v.value };
  if (v instanceof UUID) return { uuid: v.hex };
  if (v instanceof Date) return { datetime: v.getTime() };
  if (Array.isArray(v)) return isTuple(v) ? { tuple: v.map(toTyped) } : { list: v.map(toTyped) };
  if (typeof v === 'object')
    return { dict: Object.keys(v).map((k) => [k, toTyped((v as Record<string, unknown>)[k])]) };
  throw new TypeError(`cannot encode ${typeof v}`);
}

/** A Flask config in the fixtures' format (scripts/make_fixtures.py). */
export interface FlaskConfig {
  secret: string;
  /** SECRET_KEY_FALLBACKS; a string in the fixture that shows Flask splitting one. */
  fallbacks?: string[] | string;
  cookieName?: string;
  domain?: string;
  path?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  partitioned?: boolean;
  lifetime?: number;
}

/** dumpSession options for a fixture config at a second. */
export function dumpOptions(c: FlaskConfig, now: number): DumpSessionOptions {
  const o: DumpSessionOptions = { secret: c.secret, now };
  if (Array.isArray(c.fallbacks)) o.fallbacks = c.fallbacks;
  if (c.cookieName !== undefined) o.cookieName = c.cookieName;
  if (c.domain !== undefined) o.domain = c.domain;
  if (c.path !== undefined) o.path = c.path;
  if (c.httpOnly !== undefined) o.httpOnly = c.httpOnly;
  if (c.secure !== undefined) o.secure = c.secure;
  if (c.sameSite !== undefined) o.sameSite = c.sameSite;
  if (c.partitioned !== undefined) o.partitioned = c.partitioned;
  if (c.lifetime !== undefined) o.permanentLifetime = c.lifetime;
  return o;
}

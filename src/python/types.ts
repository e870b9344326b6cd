/**
 * JavaScript stand-ins for the Python types Flask's tagged JSON carries: tuple, Markup, UUID.
 * (`bytes` is a `Uint8Array`, `datetime` a `Date`, a big `int` a `bigint`.)
 * @module
 */

/** Marks an array as a Python tuple. `Symbol.for`, so two copies of this library agree. */
const TUPLE_MARK: unique symbol = Symbol.for('flask-session-cookie.tuple') as never;

/** A Python tuple: a frozen array carrying a tuple mark. Make one with {@link tuple}. */
export type Tuple<T = unknown> = readonly T[] & { readonly [TUPLE_MARK]: true };

/**
 * Makes a Python tuple: a frozen array that Flask's tagged JSON writes as `{" t": [...]}`.
 * @example
 * ```ts
 * const flashes = [tuple('message', 'Logged in')];   // Python: [("message", "Logged in")]
 * isTuple(flashes[0]);                                // true
 * ```
 */
export function tuple<T extends unknown[]>(...items: T): Tuple<T[number]> {
  return asTuple(items);
}

/** Marks and freezes an array as a tuple, in place (no argument spread: any length works). @internal */
export function asTuple<T>(items: T[]): Tuple<T> {
  Object.defineProperty(items, TUPLE_MARK, { value: true });
  return Object.freeze(items) as unknown as Tuple<T>;
}

/** Whether `x` is an array made by {@link tuple} (a Python tuple). */
export function isTuple(x: unknown): x is Tuple {
  return Array.isArray(x) && (x as unknown as { [TUPLE_MARK]?: boolean })[TUPLE_MARK] === true;
}

/**
 * Markup that is safe to insert into HTML as it is (markupsafe `Markup`), tagged `" m"`.
 * Any object with an `__html__()` method is written as Markup, as in Flask.
 * @example
 * ```ts
 * new Markup('<b>hi</b>').toString(); // '<b>hi</b>'
 * ```
 */
export class Markup {
  /** The HTML text. */
  readonly value: string;
  /**
   * @param value - the HTML text; an object with `__html__()` gives its result, anything else `String(value)`
   */
  constructor(value: unknown = '') {
    const html = (value as { __html__?: unknown } | null | undefined)?.__html__;
    this.value = typeof html === 'function' ? String(html.call(value)) : String(value);
  }
  /** The HTML text, as Jinja's `__html__` protocol expects. */
  __html__(): string {
    return this.value;
  }
  toString(): string {
    return this.value;
  }
  toJSON(): string {
    return this.value;
  }
}

const HEXDIGITS = /^[0-9a-fA-F]$/;

/**
 * Parses a hex number as Python's `int(s, 16)`: surrounding whitespace, a sign, a `0x` prefix and
 * single underscores between digits are allowed. Returns undefined if Python would raise.
 */
function pyIntHex(s: string): bigint | undefined {
  let t = s.trim();
  let neg = false;
  if (t[0] === '+' || t[0] === '-') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  if (/^0[xX]/.test(t)) {
    t = t.slice(2);
    if (t[0] === '_') t = t.slice(1);
  }
  if (!t || t[0] === '_' || t.endsWith('_') || t.includes('__')) return undefined;
  const digits = t.replace(/_/g, '');
  for (const ch of digits) if (!HEXDIGITS.test(ch)) return undefined;
  const v = BigInt('0x' + digits);
  return neg ? -v : v;
}

/**
 * A UUID (Python `uuid.UUID`), tagged `" u"` as 32 lowercase hex digits.
 * @example
 * ```ts
 * const id = new UUID('12345678-1234-5678-1234-567812345678');
 * id.hex;        // '12345678123456781234567812345678'
 * String(id);    // '12345678-1234-5678-1234-567812345678'
 * ```
 */
export class UUID {
  /** 32 lowercase hex digits, as Python's `UUID.hex`. */
  readonly hex: string;
  /**
   * @param value - any form Python's `UUID(hex)` accepts: with or without hyphens, in braces,
   *   with a `urn:uuid:` prefix
   * @throws {@link TypeError} when Python would raise ValueError
   */
  constructor(value: string) {
    if (typeof value !== 'string')
      throw new TypeError(`UUID expects a string, got ${typeof value}`);
    // uuid.py: hex.replace('urn:', '').replace('uuid:', ''); hex.strip('{}').replace('-', '')
    let h = value.split('urn:').join('').split('uuid:').join('');
    h = h
      .replace(/^[{}]+|[{}]+$/g, '')
      .split('-')
      .join('');
    if (h.length !== 32) throw new TypeError('badly formed hexadecimal UUID string');
    const n = pyIntHex(h);
    if (n === undefined) throw new TypeError('badly formed hexadecimal UUID string');
    if (n < 0n || n >= 1n << 128n)
      throw new TypeError('int is out of range (need a 128-bit value)');
    this.hex = n.toString(16).padStart(32, '0');
  }
  /** A random (version 4) UUID from the platform's CSPRNG. */
  static random(): UUID {
    return new UUID(globalThis.crypto.randomUUID());
  }
  /** The hyphenated form, as Python's `str(uuid)`. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  toJSON(): string {
    return this.toString();
  }
  /** Whether both are the same UUID. */
  equals(other: unknown): boolean {
    return other instanceof UUID && other.hex === this.hex;
  }
}

/** fast-check arbitraries for session data and Flask configs. Test helper. */
import fc from 'fast-check';
import { Markup, tuple, UUID, type SessionData, type SessionValue } from '../../src/index.ts';
import type { FlaskConfig } from './_oracle.ts';

/** One UTF-16 unit or code point of the kinds that break ports. */
const unit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\x00',
      '\x7f',
      '\x80',
      '\u2028',
      '\ufeff',
      '\uffff',
      '"',
      '\\',
      '\n',
      'é',
      '😀',
      '𐀀',
    ),
  },
);
export const text: fc.Arbitrary<string> = fc.string({ unit, maxLength: 12 });

/** Keys, with the ones that look like tags or prototype members well represented. */
export const key: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: text },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ' t',
      ' di',
      ' b',
      ' m',
      ' u',
      ' d',
      ' t__',
      ' di__',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      '10',
      '9',
      '0',
      '',
      'é',
      '😀',
      '\uffff',
      '\ue000',
      '_permanent',
      '_flashes',
    ),
  },
);

const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    0.1,
    1e-5,
    1e16 + 0.5,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    1e21,
    5e-324,
    1.7976931348623157e308,
    NaN,
    Infinity,
    -Infinity,
  ),
  fc.double({ noDefaultInfinity: true, noNaN: true, min: -1e6, max: 1e6 }),
);
const bigint = fc.oneof(
  fc
    .bigInt({ min: -(10n ** 40n), max: 10n ** 40n })
    .filter((b) => b > 2n ** 53n || b < -(2n ** 53n)),
  fc.constantFrom(2n ** 53n, -(2n ** 53n), 2n ** 64n + 1n, -(2n ** 63n), 10n ** 100n),
);
const date = fc
  .integer({ min: Date.UTC(100, 0, 1) / 1000, max: Date.UTC(9999, 11, 31, 23, 59, 59) / 1000 })
  .map((s) => new Date(s * 1000));
const uuid = fc.stringMatching(/^[0-9a-f]{32}$/).map((h) => new UUID(h));

const leaf: fc.Arbitrary<SessionValue> = fc.oneof(
  { weight: 3, arbitrary: text },
  { weight: 2, arbitrary: number },
  { weight: 1, arbitrary: bigint },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) },
  { weight: 1, arbitrary: text.map((s) => new Markup(s)) },
  { weight: 1, arbitrary: uuid },
  { weight: 1, arbitrary: date },
);

function dictOf(values: fc.Arbitrary<SessionValue>, maxKeys: number): fc.Arbitrary<SessionData> {
  return fc.array(fc.tuple(key, values), { maxLength: maxKeys }).map((entries) => {
    const o = Object.create(null) as SessionData;
    for (const [k, v] of entries) o[k] = v;
    return o;
  });
}

/** Any session value, nested up to a few levels. */
export const value: fc.Arbitrary<SessionValue> = fc.letrec<{ v: SessionValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }).map((a) => tuple(...a)) },
    { weight: 1, arbitrary: dictOf(tie('v'), 4) },
  ),
})).v;

/** A session: a dict of values, sometimes large enough to be compressed. */
export const session: fc.Arbitrary<SessionData> = fc.oneof(
  { weight: 4, arbitrary: dictOf(value, 6) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        dictOf(value, 3),
        fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
        fc.integer({ min: 10, max: 400 }),
      )
      .map(([d, s, n]) => Object.assign(d, { blob: (s || 'x').repeat(n) })),
  },
);

/** A Flask config: cookie attributes, lifetime, keys. `for22` leaves out what Flask 2.2 lacks. */
export function config(for22: boolean): fc.Arbitrary<FlaskConfig> {
  return fc
    .record(
      {
        secret: fc.constantFrom('spec-secret', 'another key', 'clé-😀'),
        fallbacks: fc.constantFrom<string[]>(['old'], ['older', 'old']),
        cookieName: fc.constantFrom('session', 'sid', '__Host-s'),
        domain: for22
          ? fc.constantFrom('example.com', 'sub.example.com')
          : fc.constantFrom('example.com', '.example.com', 'example.com:8443', 'localhost'),
        path: fc.constantFrom('/', '/app', '/a b', '/x;y'),
        httpOnly: fc.boolean(),
        secure: fc.boolean(),
        sameSite: fc.constantFrom('Lax', 'strict', 'NONE'),
        partitioned: fc.boolean(),
        lifetime: fc.constantFrom(0, 1, 60, 10.9, 3600.5, 2678400),
      },
      { requiredKeys: ['secret'] },
    )
    .map((c) => {
      if (for22) {
        delete c.partitioned;
        delete c.fallbacks;
      }
      return c;
    });
}

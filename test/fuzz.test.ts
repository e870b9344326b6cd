/**
 * Hostile input: tens of thousands of random and mutated Cookie headers. loadSession never throws,
 * never hangs, never returns data for a cookie that is not validly signed, and leaves every prototype
 * alone. FUZZ_SEED replays a run; FUZZ_SCALE multiplies the counts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  BadPayload,
  base64Encode,
  dumpSession,
  getCookie,
  getSigningSerializer,
  readSession,
  tuple,
  Markup,
  UUID,
  type SessionData,
  type SessionReadResult,
  type TimestampSigner,
} from '../src/index.ts';
import { sameValue } from './_typed.ts';
import { prng, seedFrom } from './_random.ts';

const seed = seedFrom('FUZZ');
const scale = Number(process.env['FUZZ_SCALE'] ?? 1);
const { int, pick } = prng(seed);

const secret = 'fuzz-secret-key-0123456789abcdef';
const now = 1700000000;
const opts = { now, fallbacks: ['old-fuzz-secret-key-0123456789'] };

/** The validly signed cookies every mutation starts from, with the data each one holds. */
const bases: { value: string; data: SessionData }[] = [
  { a: 1 },
  { _user_id: '42', _fresh: true, csrf_token: 'a'.repeat(40), _permanent: true },
  { blob: 'xyz'.repeat(200), t: tuple(1, 'a'), b: new Uint8Array([0, 255]) },
  {
    m: new Markup('<b>'),
    u: new UUID('12345678123456781234567812345678'),
    d: new Date(Date.UTC(2024, 0, 2)),
  },
  { ' t': 1, __proto__x: [{ ' di': null }] },
].map((data, i) => {
  const key = i === 4 ? opts.fallbacks[0]! : secret; // one signed by the fallback key
  const h = dumpSession(data as SessionData, { secret: key, now, onOversize: 'ignore' });
  return { value: h.slice('session='.length).split(';')[0]!, data: data as SessionData };
});

const ALPHABET = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const NASTY = [
  '.',
  '..',
  '=',
  '==',
  '!',
  '+',
  '/',
  ' ',
  '\t',
  ';',
  ',',
  '"',
  '\\',
  '\x00',
  '\x01',
  '\x7f',
  '\x80',
  '\xff',
  'é',
  '\u2028',
  '\ud800',
  '😀',
  '\r\n',
];

/** One mutation of a cookie value, of the kinds listed in the issue. */
function mutate(v: string): string {
  const i = int(v.length + 1);
  const segs = v.split('.');
  switch (int(12)) {
    case 0: {
      // bit flip in one character
      const c = v.charCodeAt(Math.min(i, v.length - 1));
      const flipped = String.fromCharCode((c ^ (1 << int(8))) & 0xff);
      return v.slice(0, i) + flipped + v.slice(i + 1);
    }
    case 1: // truncation
      return v.slice(0, int(v.length));
    case 2: {
      // a duplicated segment
      const k = int(segs.length);
      segs.splice(k, 0, segs[k]!);
      return segs.join('.');
    }
    case 3: {
      // reordered segments
      for (let k = segs.length - 1; k > 0; k--) {
        const j = int(k + 1);
        [segs[k], segs[j]] = [segs[j]!, segs[k]!];
      }
      return segs.join('.');
    }
    case 4: // wrong separators
      return segs.join(pick([',', ':', ';', '..', '', ' ', '|', '-']));
    case 5: // an extra separator
      return v.slice(0, i) + '.' + v.slice(i);
    case 6: // non-ASCII and control characters
      return v.slice(0, i) + pick(NASTY) + v.slice(i);
    case 7: // base64 padding games
      return pick([
        v + '=',
        v + '==',
        v + '=junk',
        v + '!!',
        v.slice(0, i) + '=' + v.slice(i),
        v.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')),
        v + '====',
      ]);
    case 8: // replace one character by another of the alphabet
      return v.slice(0, i) + pick(ALPHABET) + v.slice(i + 1);
    case 9: // swap payload or timestamp with another cookie's
      return [...pick(bases).value.split('.').slice(0, -1), segs.at(-1)].join('.');
    case 10: // several mutations
      return mutate(mutate(v));
    default: // drop a character
      return v.slice(0, i) + v.slice(i + 1);
  }
}

/** A whole Cookie header around a (mutated) value. */
function header(value: string): string | string[] {
  switch (int(8)) {
    case 0:
      return `theme=dark; session=${value}; x=1`;
    case 1:
      return `session="${value}"`;
    case 2:
      return [`a=b`, `session=${value}`];
    case 3:
      return ` session = ${value} ;`;
    case 4:
      return `session=${value}; session=${pick(bases).value}`; // the first one wins
    default:
      return `session=${value}`;
  }
}

const tally = { headers: 0, accepted: 0, signedGarbage: 0, badPayload: 0, maxMs: 0 };
const MAX_MS_PER_CALL = 250; // a hang guard, not a speed goal: calls take microseconds

function read(h: string | string[], o = opts): SessionReadResult {
  const t0 = performance.now();
  try {
    return readSession(h, secret, o);
  } finally {
    const ms = performance.now() - t0;
    tally.maxMs = Math.max(tally.maxMs, ms);
    assert.ok(ms < MAX_MS_PER_CALL, `one call took ${ms.toFixed(1)} ms (seed ${seed})`);
  }
}

const protoKeys = () =>
  [Object.getOwnPropertyNames(Object.prototype), Object.getOwnPropertyNames(Array.prototype)].map(
    (k) => k.sort().join(),
  );
const protoBefore = protoKeys();

test(`mutated cookies: nothing but the original data ever gets through (seed ${seed})`, () => {
  const n = Math.round(40_000 * scale);
  for (let k = 0; k < n; k++) {
    const base = pick(bases);
    const mutated = mutate(base.value);
    const h = header(mutated);
    tally.headers++;
    const r = read(h);
    if (r.status !== 'valid') {
      assert.deepEqual(Object.keys(r.data), [], 'an empty session');
      continue;
    }
    // Accepted: the signed part must be one of the originals (only the signature's spelling may vary,
    // as Python's lenient base64 allows), and the data exactly that cookie's data.
    const cookie = getCookie(h, 'session')!; // Werkzeug's choice (checked against Werkzeug elsewhere)
    const signedPart = cookie.slice(0, cookie.lastIndexOf('.'));
    const origin = bases.find((b) => b.value.slice(0, b.value.lastIndexOf('.')) === signedPart);
    assert.ok(
      origin,
      `seed ${seed}: accepted a cookie whose signed part is not an original: ${JSON.stringify(h)}`,
    );
    assert.equal(sameValue(r.data, origin.data), undefined);
    tally.accepted++;
  }
  assert.ok(tally.accepted > 0, 'the header variants around unmutated values are accepted');
});

test('random garbage and forged cookies: always an empty session', () => {
  const n = Math.round(10_000 * scale);
  for (let k = 0; k < n; k++) {
    let v = '';
    const kind = int(3);
    if (kind === 0) {
      const len = int(200);
      for (let j = 0; j < len; j++) v += String.fromCharCode(int(256));
    } else if (kind === 1) {
      // a well-formed cookie with a made-up signature
      const payload = base64Encode(JSON.stringify({ _user_id: String(int(1e6)), admin: true }));
      v = `${payload}.ZVPxAA.${Array.from({ length: 27 }, () => pick(ALPHABET)).join('')}`;
    } else {
      v = bases[0]!.value
        .split('.')
        .map(() => Array.from({ length: 1 + int(30) }, () => pick(ALPHABET)).join(''))
        .join('.');
    }
    tally.headers++;
    const r = read(pick([`session=${v}`, `a=1; session=${v}`, [`session=${v}`, 'b=2']]));
    assert.notEqual(r.status, 'valid', `seed ${seed}: ${JSON.stringify(v)}`);
    assert.deepEqual(Object.keys(r.data), []);
  }
});

test('huge and pathological headers: bounded time, then too-large', () => {
  const cases = [
    '"a;'.repeat(20000),
    'a="x;'.repeat(13000),
    'a="\\;'.repeat(13000),
    ';'.repeat(65536),
    'session='.repeat(8000),
    ' '.repeat(65536),
    'session=' + '.'.repeat(8000),
    `session=${bases[0]!.value}${'='.repeat(8000)}`,
    'x=1;'.repeat(16000) + `session=${bases[0]!.value}`,
    'a'.repeat(10_000_000),
  ];
  for (const h of cases) {
    tally.headers++;
    const r = read(h);
    assert.ok(r.status !== 'valid' || h.includes(bases[0]!.value));
  }
  assert.equal(read('a'.repeat(10_000_000)).status, 'too-large');
});

test('validly signed garbage payloads: data or BadPayload, nothing else', () => {
  const signer = getSigningSerializer({ secret }).makeSigner() as TimestampSigner;
  const tokens = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"a"',
    '" t"',
    '" di"',
    '" b"',
    '" m"',
    '" u"',
    '" d"',
    '"__proto__"',
    '"x__"',
    '1',
    '-0',
    '1e999',
    'NaN',
    'null',
    'true',
    '"\\ud800"',
    '"aGk="',
    '"Tue, 02 Jan 2024 03:04:05 GMT"',
    '"12345678123456781234567812345678"',
    ' ',
  ];
  const n = Math.round(10_000 * scale);
  for (let k = 0; k < n; k++) {
    let json = '';
    const len = 1 + int(16);
    for (let j = 0; j < len; j++) json += pick(tokens);
    const raw = int(8) === 0; // unencoded text: the Cookie header itself may not even parse
    const body = raw ? json : int(4) === 0 ? '.' + base64Encode(json) : base64Encode(json);
    tally.signedGarbage++;
    try {
      const r = read('session=' + signer.sign(body, now));
      if (!raw) assert.equal(r.status, 'valid', `seed ${seed}: ${JSON.stringify(json)}`);
    } catch (e) {
      if (!(e instanceof BadPayload))
        throw new Error(`seed ${seed}: ${JSON.stringify(json)} threw ${String(e)}`);
      tally.badPayload++;
    }
  }
});

test('no prototype is touched, and memory is given back', () => {
  assert.deepEqual(protoKeys(), protoBefore);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const bomb = (() => {
    const signer = getSigningSerializer({ secret }).makeSigner() as TimestampSigner;
    return 'session=' + signer.sign('.' + base64Encode(new Uint8Array(0)), now);
  })();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let k = 0; k < 2000; k++) {
    read(`session=${mutate(pick(bases).value)}`);
    try {
      read(bomb);
    } catch {
      /* BadPayload */
    }
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 8 * 1024 * 1024, `heap grew by ${grown} bytes`);
});

after(() => {
  console.log(
    `fuzz (seed ${seed}): ${tally.headers} hostile Cookie headers, ${tally.accepted} accepted (all original data), ` +
      `${tally.signedGarbage} signed garbage payloads (${tally.badPayload} BadPayload), slowest call ${tally.maxMs.toFixed(2)} ms`,
  );
});

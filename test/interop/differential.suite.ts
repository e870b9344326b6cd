/**
 * Differential tests against real Flask 3.1 and 2.2: random sessions and configs go through this
 * library and through Flask (test/interop/flask_oracle.py), and every answer must agree.
 * DIFF_RUNS scales the number of random cases (default 1200 against 3.1 and 800 against 2.2);
 * DIFF_SEED replays a reported failure.
 */
import { after, test } from 'node:test';
import { appendFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  BadPayload,
  dumpSession,
  isPermanent,
  readSession,
  refreshSession,
  type DumpSessionOptions,
  type SessionData,
  type SessionReadResult,
} from '../../src/index.ts';
import { dumpOptions, fromTyped, sameValue, toTyped } from '../_typed.ts';
import { config, session } from './_arbitraries.ts';
import { FlaskOracle, type FlaskConfig, type LoadAnswer } from './_oracle.ts';
import { flaskOrSkip, type FlaskVersion } from './_python.ts';

const scale = Number(process.env['DIFF_RUNS'] ?? 1);
const RUNS: Record<FlaskVersion, number> = {
  '3.1': Math.round(1200 * scale),
  '2.2': Math.round(800 * scale),
};
const seed = process.env['DIFF_SEED'] === undefined ? undefined : Number(process.env['DIFF_SEED']);

const tally = {
  cases: 0,
  agreed: 0,
  comparisons: 0,
  mutationsAccepted: 0,
  versions: [] as string[],
};

function options(
  c: FlaskConfig,
  now: number,
  permanent: boolean | null,
  for22: boolean,
): DumpSessionOptions {
  const o = dumpOptions(c, now);
  o.onOversize = 'ignore';
  if (for22) delete o.fallbacks; // 2.2 has no SECRET_KEY_FALLBACKS
  if (permanent !== null) o.permanent = permanent;
  return o;
}

/**
 * What the data becomes once written and read back: the typed round trip turns integral numbers past
 * 2**53 into bigints (Python ints), as the README documents.
 */
const written = (v: unknown): unknown => fromTyped(toTyped(v));

/** Our answer for a Cookie header, in the oracle's terms. */
function ours(
  header: string,
  secret: string,
  opts: DumpSessionOptions,
  now: number,
): { outcome: LoadAnswer['outcome']; data?: SessionData } {
  let r: SessionReadResult;
  try {
    r = readSession(header, secret, {
      fallbacks: opts.fallbacks,
      cookieName: opts.cookieName,
      permanentLifetime: opts.permanentLifetime,
      now,
    });
  } catch (e) {
    if (e instanceof BadPayload) return { outcome: 'error' };
    throw e;
  }
  return r.status === 'valid' && Object.keys(r.data).length > 0
    ? { outcome: 'data', data: r.data }
    : { outcome: 'empty' };
}

function agree(
  flask: LoadAnswer,
  mine: { outcome: string; data?: SessionData },
  what: string,
): void {
  tally.comparisons++;
  assert.equal(
    mine.outcome,
    flask.outcome,
    `${what}: Flask says ${flask.outcome} (${flask.error}), we say ${mine.outcome}`,
  );
  if (flask.outcome === 'data')
    assert.equal(sameValue(mine.data, fromTyped(flask.data!)), undefined, what);
}

const nameValue = (setCookie: string) => setCookie.split(';')[0]!;

/** One random case: dump both ways, load both ways, a one-character change, the age boundaries. */
async function check(
  oracle: FlaskOracle,
  for22: boolean,
  data: SessionData,
  cfg: FlaskConfig,
  now: number,
  permanent: boolean | null,
  mutation: { at: number; ch: string },
): Promise<void> {
  const opts = options(cfg, now, permanent, for22);
  const typed = toTyped(data);
  const flask = await oracle.dump(cfg, now, typed, permanent);
  let mine: string | undefined;
  let mineError: unknown;
  try {
    mine = dumpSession(data, opts);
  } catch (e) {
    mineError = e;
  }
  tally.comparisons++;
  if (flask.error) {
    assert.ok(
      mineError !== undefined,
      `Flask refused to save (${flask.error}) but we wrote ${mine}`,
    );
    return;
  }
  if (mineError) throw mineError;
  const flaskHeader = flask.setCookie![0]!;
  if (for22)
    assert.equal(nameValue(mine!), nameValue(flaskHeader), 'cookie value differs from Flask 2.2');
  else assert.equal(mine, flaskHeader, 'Set-Cookie differs from Flask 3.1');

  const name = opts.cookieName ?? 'session';
  const value = nameValue(mine!).slice(name.length + 1);
  if (!value) return; // the deletion header: nothing to load
  const expected = written(
    permanent === null ? data : Object.assign(Object.create(null), data, { _permanent: permanent }),
  );
  const header = `${name}=${value}`;

  // Flask loads our cookie to the data; we load Flask's cookie to the data and re-dump it
  const flaskLoad = await oracle.load(cfg, now, header);
  agree(flaskLoad, ours(header, cfg.secret, opts, now), 'load of the fresh cookie');
  assert.equal(flaskLoad.outcome, 'data');
  assert.equal(
    sameValue(fromTyped(flaskLoad.data!), expected),
    undefined,
    'Flask loads different data',
  );
  const again = readSession(nameValue(flaskHeader), cfg.secret, { ...opts, cookieName: name });
  assert.equal(again.status, 'valid');
  const redump = dumpSession(again.data, { ...opts, permanent: undefined });
  assert.equal(
    for22 ? nameValue(redump) : redump,
    for22 ? nameValue(flaskHeader) : flaskHeader,
    "re-dump of Flask's cookie",
  );

  // an unmodified permanent session is re-issued on the next request: same bytes as Flask's
  const later = now + 7;
  const refreshed = await oracle.refresh(cfg, later, header);
  const read = readSession(header, cfg.secret, { ...opts, cookieName: name, now: later });
  const mineRefreshed =
    read.status === 'valid' && isPermanent(read.data)
      ? [refreshSession(read, { ...opts, permanent: undefined, now: later })]
      : [];
  tally.comparisons++;
  if (for22)
    assert.deepEqual(
      mineRefreshed.map(nameValue),
      refreshed.setCookie.map(nameValue),
      'refresh (2.2)',
    );
  else assert.deepEqual(mineRefreshed, refreshed.setCookie, 'refresh of an unmodified session');

  // any one-character change: both decide the same, and nothing forged gets through
  const i = Math.floor(mutation.at * value.length);
  const mutated = value.slice(0, i) + mutation.ch + value.slice(i + 1);
  if (mutated !== value) {
    const h = `${name}=${mutated}`;
    const f = await oracle.load(cfg, now, h);
    agree(
      f,
      ours(h, cfg.secret, opts, now),
      `one-character change at ${i} to ${JSON.stringify(mutation.ch)}`,
    );
    if (f.outcome === 'data') {
      tally.mutationsAccepted++;
      assert.equal(
        sameValue(fromTyped(f.data!), expected),
        undefined,
        'a changed cookie loaded different data',
      );
    }
  }

  // age boundaries: age == max_age is valid, one more second expired, one second early rejected
  const ts = Math.floor(now);
  const maxAge = Math.trunc(cfg.lifetime ?? 2678400);
  for (const at of [ts + maxAge, ts + maxAge + 1, ts - 1]) {
    agree(
      await oracle.load(cfg, at, header),
      ours(header, cfg.secret, opts, at),
      `load at ${at - ts}s`,
    );
  }

  // a cookie signed with a fallback key: accepted by 3.1 with SECRET_KEY_FALLBACKS
  if (!for22 && cfg.fallbacks) {
    const old = nameValue(
      dumpSession(data, { ...opts, secret: cfg.fallbacks.at(-1)!, fallbacks: undefined }),
    );
    const h = `${name}=${old.slice(name.length + 1)}`;
    agree(
      await oracle.load(cfg, now, h),
      ours(h, cfg.secret, opts, now),
      'cookie signed by a fallback key',
    );
  }
}

const nowArb = fc.oneof(
  fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }),
  fc.integer({ min: 1_000_000_000, max: 2_000_000_000 }).map((s) => s + 0.5),
);
const mutationArb = fc.record({
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  ch: fc.constantFrom(
    'A',
    'a',
    'z',
    '0',
    '9',
    '-',
    '_',
    '+',
    '/',
    '.',
    '=',
    '!',
    ' ',
    ';',
    '"',
    '\u00e9',
    ',',
  ),
});

for (const version of ['3.1', '2.2'] as const) {
  const found = flaskOrSkip(version);
  if ('skip' in found) {
    test(`differential against Flask ${version}`, { skip: found.skip }, () => {});
    continue;
  }
  test(`differential against Flask ${version}: ${RUNS[version]} random sessions and configs`, async () => {
    const oracle = new FlaskOracle(found.python);
    try {
      tally.versions.push(`${(await oracle.version()).flask}`);
      await fc.assert(
        fc.asyncProperty(
          session,
          config(version === '2.2'),
          nowArb,
          fc.constantFrom(null, true, false),
          mutationArb,
          async (data, cfg, now, permanent, mutation) => {
            tally.cases++;
            await check(oracle, version === '2.2', data, cfg, now, permanent, mutation);
            tally.agreed++;
          },
        ),
        { numRuns: RUNS[version], ...(seed === undefined ? {} : { seed }) },
      );
    } finally {
      oracle.close();
    }
  });
}

after(() => {
  if (tally.cases === 0) return;
  const line =
    `differential: ${tally.cases} cases run against Flask ${tally.versions.join(' and ')} ` +
    `(${tally.comparisons} comparisons, ${tally.mutationsAccepted} changed cookies accepted by both): ${tally.agreed} agreed`;
  console.log(line);
  // .ci/run prints this again as the last line of the run
  const file = process.env['DIFF_SUMMARY_FILE'];
  if (file) appendFileSync(file, line + '\n');
});

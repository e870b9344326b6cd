/** The CLI as a process, on cookies made by real Flask (fixtures/flask-3.1.json). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../../src/cli/index.ts', import.meta.url).pathname;
const fx = JSON.parse(
  readFileSync(new URL('../../fixtures/flask-3.1.json', import.meta.url), 'utf8'),
);

function run(args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['FLASK_SECRET_KEY', 'SECRET_KEY', 'FLASK_SECRET_KEY_FALLBACKS']) delete env[k];
  Object.assign(env, opts.env);
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    encoding: 'utf8',
    env,
    input: opts.input ?? '',
    timeout: 20000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const byName = (name: string) => fx.dump.find((c: { name: string }) => c.name === name);
const value = (setCookie: string) => setCookie.slice(setCookie.indexOf('=') + 1).split(';')[0]!;
const secret: Record<string, string> = { FLASK_SECRET_KEY: 'spec-secret' };

test('decode shows what Flask stored, marked unverified, from an argument, a header or stdin', () => {
  const c = byName('tag-tuple-of-dicts') ?? fx.dump[5];
  const cookie = c.setCookie[0].split(';')[0];
  const human = run(['decode', cookie]);
  assert.equal(human.code, 0);
  assert.match(human.out, /^UNVERIFIED/);
  const asJson = run(['decode', '--json'], { input: `Cookie: theme=dark; ${cookie}\n` });
  assert.equal(asJson.code, 0, asJson.err);
  const out = JSON.parse(asJson.out);
  assert.equal(out.verified, false);
  assert.deepEqual(out.data, JSON.parse(c.json)); // Flask's own tagged JSON of the session
  assert.equal(run(['decode', 'session=garbage']).code, 1);
});

test('verify: valid with the right key and second, invalid with the reason otherwise', () => {
  const c = byName('basic');
  const cookie = c.setCookie[0].split(';')[0];
  const ok = run(['verify', cookie, '--now', String(c.now), '--json'], { env: secret });
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual(JSON.parse(ok.out).data, JSON.parse(c.json));
  const expired = run(['verify', cookie, '--now', String(c.now + 2678401), '--json'], {
    env: secret,
  });
  assert.equal(expired.code, 1);
  assert.equal(JSON.parse(expired.out).reason, 'expired');
  const wrong = run(['verify', cookie], { env: { FLASK_SECRET_KEY: 'nope' } });
  assert.equal(wrong.code, 1);
  assert.match(
    wrong.out,
    /^invalid: no key verifies the signature: the cookie was signed with a different SECRET_KEY/,
  );
  const late = run(['verify', cookie, '--now', String(c.now + 2678401)], { env: secret });
  assert.match(late.out, /^invalid: expired: signed .*, 2678401 seconds ago/);
  // an old key in FLASK_SECRET_KEY_FALLBACKS, as Flask's from_prefixed_env reads it
  const fb = run(['verify', cookie, '--now', String(c.now)], {
    env: { FLASK_SECRET_KEY: 'new-key', FLASK_SECRET_KEY_FALLBACKS: '["spec-secret"]' },
  });
  assert.equal(fb.code, 0);
  assert.match(fb.out, /SECRET_KEY_FALLBACKS/);
});

test('the secret comes from a file or the environment, never from argv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsc-cli-'));
  try {
    const file = join(dir, 'secret');
    writeFileSync(file, 'spec-secret\n');
    const c = byName('basic');
    const r = run([
      'verify',
      c.setCookie[0].split(';')[0],
      '--secret-file',
      file,
      '--now',
      String(c.now),
    ]);
    assert.equal(r.code, 0, r.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const none = run(['verify', 'session=x.y.z']);
  assert.equal(none.code, 2);
  assert.match(none.err, /no secret/);
  const flag = run(['verify', 'session=x.y.z', '--secret', 'spec-secret']);
  assert.equal(flag.code, 2);
  assert.match(
    flag.err,
    /--secret is not an option: secrets come from --secret-file FILE .* never the command line, because/,
  );
});

test('sign writes the cookie Flask writes for the same tagged JSON and second', () => {
  let n = 0;
  for (const name of ['basic', 'tag-tuple-of-dicts', 'unicode-astral', 'compress-threshold-12']) {
    const c = byName(name);
    if (!c || Object.keys(c.config).length > 1 || c.permanent !== null) continue;
    const r = run(['sign', c.json, '--now', String(c.now)], { env: secret });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim(), value(c.setCookie[0]), name);
    n++;
  }
  const perm =
    byName('perm-true') ??
    fx.dump.find(
      (c: { permanent: boolean | null; config: object }) =>
        c.permanent === true && Object.keys(c.config).length === 1,
    );
  const r = run(['sign', '--header', '--now', String(perm.now)], { env: secret, input: perm.json });
  assert.equal(r.out.trim(), perm.setCookie[0]);
  assert.ok(n >= 2, `${n} cookies`);
  assert.equal(run(['sign', '[1, 2]'], { env: secret }).code, 2);
});

test('explain says what is wrong: name, several, key, expiry, future, payload', () => {
  const c = byName('basic');
  const cookie = c.setCookie[0].split(';')[0];
  const explain = (input: string, extra: string[] = [], env = secret) =>
    run(['explain', input, '--json', ...extra], { env });
  const missing = JSON.parse(explain('Cookie: SESSION=abc; other=1').out);
  assert.equal(missing.accepted, false);
  assert.match(missing.findings[0].detail, /no cookie named "session".*SESSION, other/);
  const several = JSON.parse(explain(`Cookie: ${cookie}; ${cookie}`, ['--now', String(c.now)]).out);
  assert.match(several.findings[0].detail, /2 cookies named "session"/);
  assert.equal(several.accepted, true);
  const expired = JSON.parse(explain(cookie, ['--now', String(c.now + 2678400 + 90)]).out);
  assert.match(
    expired.findings.find((f: { check: string }) => f.check === 'age').detail,
    /expired 90 seconds ago/,
  );
  const future = JSON.parse(explain(cookie, ['--now', String(c.now - 3)]).out);
  assert.match(
    future.findings.find((f: { check: string }) => f.check === 'age').detail,
    /3 seconds in the future/,
  );
  const wrongKey = JSON.parse(explain(cookie, [], { FLASK_SECRET_KEY: 'nope' }).out);
  assert.match(
    wrongKey.findings.find((f: { check: string }) => f.check === 'signature').detail,
    /no key verifies it/,
  );
  const fallback = JSON.parse(
    explain(cookie, ['--now', String(c.now)], {
      FLASK_SECRET_KEY: 'new',
      FLASK_SECRET_KEY_FALLBACKS: '["spec-secret"]',
    }).out,
  );
  assert.match(
    fallback.findings.find((f: { check: string }) => f.check === 'signature').detail,
    /fallback/,
  );
  // a validly signed cookie whose payload is not JSON, made by Flask's generator
  const bad = fx.load.find(
    (l: { name: string; outcome: string; cookieHeader: string; config: { secret: string } }) =>
      l.name === 'crafted/payload-invalid-zlib',
  );
  const payload = JSON.parse(explain(bad.cookieHeader, ['--now', String(bad.now)]).out);
  assert.equal(payload.accepted, false);
  assert.ok(
    payload.findings.some(
      (f: { check: string; ok: boolean }) => f.check.startsWith('payload') && !f.ok,
    ),
  );
  const big =
    byName('oversize-warning') ?? fx.dump.find((d: { warning: string | null }) => d.warning);
  const large = JSON.parse(explain(big.setCookie[0].split(';')[0], ['--now', String(big.now)]).out);
  assert.match(
    large.findings.find((f: { check: string }) => f.check === 'size').detail,
    /browsers drop/,
  );
});

test('genkey, --help for every command, and usage errors', () => {
  const a = run(['genkey']).out.trim();
  const b = run(['genkey', '--bytes', '48']).out.trim();
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.match(b, /^[0-9a-f]{96}$/);
  assert.equal(run(['genkey', '--bytes', '4']).code, 2);
  for (const cmd of ['decode', 'verify', 'sign', 'explain', 'genkey']) {
    const r = run([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.out, new RegExp(`Usage: flask-session-cookie ${cmd}`));
  }
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run([]).code, 2);
  assert.match(run(['--help']).out, /Commands:/);
});

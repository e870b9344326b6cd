import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('the public surface of the package root', async () => {
  const m = await import('../src/index.ts');
  assert.deepEqual(Object.keys(m).sort(), [
    'BadData',
    'BadHeader',
    'BadPayload',
    'BadSignature',
    'BadTimeSignature',
    'CSRFError',
    'CSRFProtect',
    'CSRF_MESSAGES',
    'CSRF_SALT',
    'CookieTooLarge',
    'DEFAULT_MAX_DECOMPRESSED_SIZE',
    'DEFAULT_MAX_DEPTH',
    'DEFAULT_MAX_HEADER_SIZE',
    'DEFAULT_MAX_VALUE_SIZE',
    'DEFAULT_PERMANENT_LIFETIME',
    'DEFAULT_SALT',
    'HMACAlgorithm',
    'JSONDecodeError',
    'JSONTag',
    'LoginManager',
    'MAX_COOKIE_SIZE',
    'MAX_TIMESTAMP',
    'MIN_SECRET_BYTES',
    'Markup',
    'MemcachedStore',
    'MemoryStore',
    'MsgpackError',
    'NoneAlgorithm',
    'REMEMBER_COOKIE_DURATION',
    'REMEMBER_COOKIE_NAME',
    'SESSION_KEYS',
    'Serializer',
    'ServerSideSession',
    'ServerSideSessionInterface',
    'Session',
    'SessionInterface',
    'SessionStoreError',
    'SignatureExpired',
    'Signer',
    'SqlAlchemyStore',
    'TaggedJSONSerializer',
    'TimedSerializer',
    'TimestampSigner',
    'URLSafeSerializer',
    'URLSafeTimedSerializer',
    'UUID',
    'base64Decode',
    'base64Encode',
    'bytesToInt',
    'compactJSON',
    'confirmLogin',
    'cookieHeader',
    'createIdentifier',
    'csrfErrorPage',
    'csrfOptionsFromFlaskConfig',
    'decodeCookie',
    'dumpCookie',
    'dumpSession',
    'encodeCookie',
    'flash',
    'flaskConfigFromEnv',
    'generateCsrf',
    'generateSecretKey',
    'getCookie',
    'getFlashedMessages',
    'getMemcacheTimeout',
    'getRemoteAddr',
    'getSigningSerializer',
    'httpDate',
    'intToBytes',
    'isPermanent',
    'isTuple',
    'loadSession',
    'loginFresh',
    'loginOptionsFromFlaskConfig',
    'loginUser',
    'logoutUser',
    'msgpackDecode',
    'msgpackEncode',
    'parseCookieHeader',
    'parseDate',
    'parseSetCookie',
    'pyDumps',
    'pyFloatRepr',
    'pyLoads',
    'pythonBytesRepr',
    'pythonJSON',
    'readSession',
    'refreshSession',
    'sameOrigin',
    'serverSideOptionsFromFlaskConfig',
    'sessionOptionsFromFlaskConfig',
    'sessionUserId',
    'sqlStatements',
    'tuple',
    'validateCsrf',
  ]);
});

test('every adapter subpath exports what the README documents', async () => {
  const web = await import('../src/adapters/web.ts');
  const hono = await import('../src/adapters/hono.ts');
  const express = await import('../src/adapters/express.ts');
  const fastify = await import('../src/adapters/fastify.ts');
  const stores = ['MemoryStore', 'ServerSideSession', 'redisStore'];
  const common = ['Session', 'flash', 'getFlashedMessages', ...stores];
  assert.deepEqual(
    Object.keys(web).sort(),
    [...common, 'SessionInterface', 'webSessions', 'withSession', 'webLogin', 'webCsrf'].sort(),
  );
  for (const m of [hono, express, fastify])
    assert.deepEqual(
      Object.keys(m).sort(),
      [...common, 'flaskSession', 'flaskLogin', 'csrfProtect'].sort(),
    );
  const redis = await import('../src/adapters/redis.ts');
  assert.deepEqual(Object.keys(redis), ['redisStore']);
  const sql = ['SqlAlchemyStore', 'quoteIdentifier', 'sqlStatements'];
  const mysql = await import('../src/adapters/mysql.ts');
  assert.deepEqual(Object.keys(mysql).sort(), [...sql, 'mysqlStore'].sort());
  const postgres = await import('../src/adapters/postgres.ts');
  assert.deepEqual(Object.keys(postgres).sort(), [...sql, 'postgresStore'].sort());
  const memcached = await import('../src/adapters/memcached.ts');
  assert.deepEqual(Object.keys(memcached).sort(), [
    'MemcachedStore',
    'getMemcacheTimeout',
    'memcachedStore',
  ]);
});

test('package.json: ESM, side-effect free, exactly three runtime dependencies', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['@noble/hashes', 'cookie', 'pako']);
  assert.equal(pkg.exports['.'].types, './dist/index.d.ts');
});

test('errors carry their codes and names', async () => {
  const m = await import('../src/index.ts');
  const cases: [new (msg: string) => Error, string][] = [
    [m.BadData, 'ERR_BAD_DATA'],
    [m.BadSignature, 'ERR_BAD_SIGNATURE'],
    [m.BadTimeSignature, 'ERR_BAD_TIME_SIGNATURE'],
    [m.SignatureExpired, 'ERR_SIGNATURE_EXPIRED'],
    [m.BadHeader, 'ERR_BAD_HEADER'],
    [m.BadPayload, 'ERR_BAD_PAYLOAD'],
  ];
  for (const [C, code] of cases) {
    const e = new C('x') as Error & { code: string };
    assert.equal(e.code, code);
    assert.equal(e.name, C.name);
    assert.ok(e instanceof m.BadData);
  }
  assert.ok(new m.SignatureExpired('x') instanceof m.BadSignature);
  assert.ok(!(new m.BadPayload('x') instanceof m.BadSignature));
});

test('the Koa subpath: the same surface as the other middleware adapters, koa an optional peer', async () => {
  const koa = await import('../src/adapters/koa.ts');
  assert.deepEqual(
    Object.keys(koa).sort(),
    [
      'MemoryStore',
      'ServerSideSession',
      'Session',
      'flash',
      'flaskSession',
      'getFlashedMessages',
      'redisStore',
    ].sort(),
  );
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.exports['./koa'].default, './dist/adapters/koa.js');
  assert.equal(pkg.peerDependenciesMeta.koa.optional, true);
  assert.equal(pkg.devDependencies.koa, '3.2.1');
});

test('the Next.js subpath: getSession and flaskProxy, next an optional peer', async () => {
  const next = await import('../src/adapters/next.ts');
  assert.deepEqual(
    Object.keys(next).sort(),
    [
      'MemoryStore',
      'ServerSideSession',
      'Session',
      'flash',
      'flaskProxy',
      'getFlashedMessages',
      'getSession',
      'nextCookieOptions',
      'redisStore',
    ].sort(),
  );
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.exports['./next'].default, './dist/adapters/next.js');
  assert.equal(pkg.peerDependenciesMeta.next.optional, true);
  assert.equal(pkg.devDependencies.next, '16.4.6');
});

/** The README's TypeScript examples run as they are (importing this checkout instead of npm). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** Examples that need a service this test does not start say so on their first line. */
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => !code.startsWith('// (needs a Redis server)'));
/** Each entry point of the package, as the README imports it, mapped to its source file. */
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const imports: [string, string][] = Object.entries(
  pkg.exports as Record<string, { default?: string }>,
)
  .filter(([, target]) => typeof target === 'object')
  .map(([subpath, target]): [string, string] => [
    `'${join(pkg.name, subpath)}'`,
    JSON.stringify(
      new URL(target.default!.replace(/^\.\/dist\/(.*)\.js$/, '../src/$1.ts'), import.meta.url)
        .href,
    ),
  ])
  // the longest name first, so that 'flask-session-cookie' does not replace a subpath's prefix
  .sort((a, b) => b[0].length - a[0].length);
/**
 * Examples that start a server: it listens on a free port, answers one request, and closes, so the
 * example runs to its end.
 */
const preamble = `
import { Server } from 'node:http';
const listen = Server.prototype.listen;
Server.prototype.listen = function (...args) {
  const server = listen.call(this, 0, '127.0.0.1');
  server.once('listening', async () => {
    const { port } = server.address();
    const r = await fetch('http://127.0.0.1:' + port + '/');
    console.log('GET / ->', r.status, r.headers.get('set-cookie') ? 'with a session cookie' : 'no cookie');
    server.close();
    server.closeAllConnections?.();
  });
  return server;
};
`;

test('every ts example in the README runs', () => {
  // inside the checkout, so that express, fastify and hono resolve from its node_modules
  const root = new URL('../.tmp/', import.meta.url).pathname;
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'readme-'));
  const outputs: string[] = [];
  try {
    assert.ok(blocks.length >= 10, `${blocks.length} examples`);
    blocks.forEach((code, i) => {
      const file = join(dir, `example-${i}.ts`);
      let body = code;
      for (const [from, to] of imports) body = body.replaceAll(from, to);
      writeFileSync(file, (/\.listen\(/.test(code) ? preamble : '') + body);
      outputs.push(
        execFileSync(process.execPath, ['--import', 'tsx', file], {
          encoding: 'utf8',
          timeout: 30000,
          env: { ...process.env, SECRET_KEY: 'readme-secret-0123456789abcdef' },
        }),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const find = (needle: string) => outputs.find((o) => o.includes(needle));
  assert.equal(outputs[0], 'momo\ntrue\n');
  assert.ok(find('valid\n1\n2023-11-14T22:13:20.000Z\n'));
  assert.ok(outputs.includes('42\n'), 'the token example');
  assert.ok(outputs.includes('true\n'), 'the refresh example');
  assert.ok(outputs.includes('3600\n'), 'the Flask config example');
  assert.ok(outputs.includes('momo\n'), 'the server-side example');
  assert.equal(
    outputs.filter((o) => o === 'GET / -> 200 with a session cookie\n').length,
    4,
    'node:http, Express, Fastify and Koa examples serve a session',
  );
});

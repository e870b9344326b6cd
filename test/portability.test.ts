/** The core must run where Node's globals do not exist (browsers, Workers, Deno without compat). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dumpSession, tuple } from '../src/index.ts';

const srcDir = new URL('../src/', import.meta.url);
// the CLI is Node's by design, and the adapters bind the core to servers that may be Node's
const coreFiles = readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter(
  (f) => f.endsWith('.ts') && !/^(cli|adapters)\//.test(f),
);

test('core files import nothing from node: and name no Node-only global', () => {
  assert.ok(coreFiles.length >= 25, `${coreFiles.length} core files`);
  for (const f of coreFiles) {
    const code = readFileSync(new URL(f, srcDir), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    assert.doesNotMatch(code, /from ['"]node:|require\(|\bBuffer\b|\bprocess\.|\b__dirname\b/, f);
  }
});

test('core runs with Buffer, process and require removed from globalThis', () => {
  const script = `
    const keep = globalThis.process;
    delete globalThis.Buffer; globalThis.process = undefined; delete globalThis.require;
    const m = await import(${JSON.stringify(new URL('index.ts', srcDir).href)});
    const h = m.dumpSession({ a: 1, t: m.tuple(1), b: new Uint8Array([1]), u: 'x'.repeat(50) }, { secret: 's', now: 1700000000 });
    const d = m.loadSession(h.split(';')[0], 's', { now: 1700000000 });
    keep.stdout.write(JSON.stringify([typeof globalThis.Buffer, h, d.a, m.isTuple(d.t), d.u.length]));
  `;
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  const here = dumpSession(
    { a: 1, t: tuple(1), b: new Uint8Array([1]), u: 'x'.repeat(50) },
    { secret: 's', now: 1700000000 },
  );
  assert.deepEqual(JSON.parse(out), ['undefined', here, 1, true, 50]);
  assert.match(here, /^session=\.eJ/); // the compressed path ran
});

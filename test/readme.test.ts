/** The README's TypeScript examples run as they are (importing this checkout instead of npm). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const src = new URL('../src/index.ts', import.meta.url).href;

test('every ts example in the README runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fsc-readme-'));
  const outputs: string[] = [];
  try {
    assert.ok(blocks.length >= 4, `${blocks.length} examples`);
    blocks.forEach((code, i) => {
      const file = join(dir, `example-${i}.ts`);
      writeFileSync(file, code.replaceAll("'flask-session-cookie'", JSON.stringify(src)));
      outputs.push(
        execFileSync(process.execPath, ['--import', 'tsx', file], {
          encoding: 'utf8',
          timeout: 20000,
        }),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(outputs[0], 'momo\ntrue\n');
  assert.match(outputs[2]!, /^valid\n1\n2023-11-14T22:13:20\.000Z\n$/);
  assert.equal(outputs[3], 'true\n');
  assert.equal(outputs[4], '42\n');
});

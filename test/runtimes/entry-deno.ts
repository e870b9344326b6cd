/**
 * Runtime-matrix entry for Deno: reads the fixtures (the only permission it needs), runs the
 * portable suite on the sources and prints one JSON line. npm packages come from the repository's
 * node_modules. Run from the repository root:
 * `deno run --no-lock --node-modules-dir=manual --allow-read=fixtures/flask-3.1.json test/runtimes/entry-deno.ts`
 */
import { Hono } from 'hono';
import * as lib from '../../src/index.ts';
import * as web from '../../src/adapters/web.ts';
import { flaskSession } from '../../src/adapters/hono.ts';
import { run, type Fixtures } from './suite.ts';

declare const Deno: {
  readTextFile(path: URL): Promise<string>;
  version: { deno: string };
};

const fixtures = JSON.parse(
  await Deno.readTextFile(new URL('../../fixtures/flask-3.1.json', import.meta.url)),
) as Fixtures;
const results = await run(lib, web, { Hono, flaskSession }, fixtures);
console.log(JSON.stringify({ runtime: 'deno', version: Deno.version.deno, ...results }));

/**
 * Runtime-matrix entry for Node (20 through tsx, 26 by its own type stripping) and Bun: reads the
 * fixtures, runs the portable suite on the sources and prints one JSON line.
 * Run from the repository root: `node --import tsx test/runtimes/entry-node.ts`, `bun test/runtimes/entry-node.ts`.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import * as lib from '../../src/index.ts';
import * as web from '../../src/adapters/web.ts';
import { flaskSession } from '../../src/adapters/hono.ts';
import { run, type Fixtures } from './suite.ts';

const fixtures = JSON.parse(
  readFileSync(new URL('../../fixtures/flask-3.1.json', import.meta.url), 'utf8'),
) as Fixtures;
const results = await run(lib, web, { Hono, flaskSession }, fixtures);
const bun = process.versions['bun'];
console.log(
  JSON.stringify({
    runtime: bun === undefined ? 'node' : 'bun',
    version: bun ?? process.versions.node,
    ...results,
  }),
);

/**
 * Runtime-matrix entry for workerd (Cloudflare's runtime): a module worker whose fetch handler runs
 * the portable suite and answers with its JSON. test/runtimes.test.ts bundles it with esbuild and
 * serves it with test/runtimes/workerd.capnp, which passes the fixtures as the FIXTURES binding.
 */
import { Hono } from 'hono';
import * as lib from '../../src/index.ts';
import * as web from '../../src/adapters/web.ts';
import { flaskSession } from '../../src/adapters/hono.ts';
import { run, type Fixtures } from './suite.ts';

export default {
  async fetch(_request: Request, env: { FIXTURES: Fixtures }): Promise<Response> {
    const results = await run(lib, web, { Hono, flaskSession }, env.FIXTURES);
    return Response.json({ runtime: 'workerd', version: navigator.userAgent, ...results });
  },
};

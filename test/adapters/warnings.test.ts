/**
 * The oversize warning an adapter emits: Werkzeug's text, then the request that sent the cookie and
 * why it was sent (a change, or the re-issue of an unchanged permanent session).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import express from 'express';
import { Hono } from 'hono';
import { flaskSession as expressSession } from '../../src/adapters/express.ts';
import { flaskSession as honoSession } from '../../src/adapters/hono.ts';
import { fetchServer, startNodeServer, type Running } from '../interop/_servers.ts';

const secret = 'warnings-secret-0123456789abcdef';
/** ~4.5 KB of base64 that does not compress: over Werkzeug's 4093-byte limit. */
const BIG = randomBytes(3400).toString('base64');

async function warningsOf(run: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void seen.push(a.join(' '));
  try {
    await run();
  } finally {
    console.warn = warn;
  }
  return seen;
}

const servers: Record<string, () => Promise<Running>> = {
  express: () => {
    const app = express();
    app.use(expressSession({ secret }));
    app.get('/big', (req, res) => {
      req.session.set('blob', BIG);
      req.session.permanent = true;
      res.send('ok');
    });
    app.get('/other', (_req, res) => void res.send('untouched'));
    return startNodeServer(app);
  },
  hono: () => {
    const app = new Hono();
    app.use(honoSession({ secret }));
    app.get('/big', (c) => {
      c.get('session').set('blob', BIG);
      c.get('session').permanent = true;
      return c.text('ok');
    });
    app.get('/other', (c) => c.text('untouched'));
    return startNodeServer(fetchServer((r) => app.fetch(r)));
  },
};

for (const [name, start] of Object.entries(servers))
  test(`${name}: the oversize warning names the cookie, its size, the limit, the request and why`, async () => {
    const server = await start();
    try {
      let cookie = '';
      const written = await warningsOf(async () => {
        const r = await fetch(server.url + '/big');
        cookie = r.headers.getSetCookie()[0]!.split(';')[0]!;
      });
      assert.equal(written.length, 1, written.join('\n'));
      assert.match(
        written[0]!,
        /^The 'session' cookie is too large: the value was \d+ bytes but the header required \d+ extra bytes\. The final size was \d+ bytes but the limit is 4093 bytes\. Browsers may silently ignore cookies larger than this\. \(GET \/big: the session was changed\)$/,
      );
      const reissued = await warningsOf(async () => {
        const r = await fetch(server.url + '/other', { headers: { cookie } });
        assert.equal(r.headers.getSetCookie().length, 1, 'the permanent session is re-issued');
      });
      assert.equal(reissued.length, 1);
      assert.match(
        reissued[0]!,
        /\(GET \/other: re-issuing an unchanged permanent session, as Flask does on every request\)$/,
      );
    } finally {
      await server.stop();
    }
  });

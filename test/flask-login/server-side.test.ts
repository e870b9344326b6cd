/**
 * Flask-Login's after-request hook runs before the session is saved with server-side sessions too
 * (Express saves those when the response ends, not when its headers are written): the stored
 * session never keeps `_remember`, as with Flask-Session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  flaskLogin,
  flaskSession,
  MemoryStore,
  ServerSideSession,
} from '../../src/adapters/express.ts';

test('Express + MemoryStore: the remember cookie is set and `_remember` is not stored', async () => {
  const store = new MemoryStore();
  const app = express();
  app.use(flaskSession({ store, serializationFormat: 'json' }));
  app.use(flaskLogin({ secret: 'k', userLoader: (id) => ({ id }) }));
  app.get('/login', (req, res) => {
    req.login.loginUser({ id: '5' }, { remember: true });
    res.end('in');
  });
  app.get('/who', async (req, res) => {
    res.json({ user: ((await req.login.currentUser()) as { id: string } | null)?.id ?? null });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await fetch(`${base}/login`);
    const cookies = r.headers.getSetCookie();
    assert.ok(
      cookies.some((c) => c.startsWith('remember_token=5|')),
      cookies.join(' / '),
    );
    const sid = /^session=([^;]+)/.exec(cookies.find((c) => c.startsWith('session='))!)![1]!;
    const raw = await store.get(`session:${sid}`);
    const stored = JSON.parse(new TextDecoder().decode(raw!));
    assert.deepEqual(Object.keys(stored).sort(), ['_fresh', '_id', '_permanent', '_user_id']);
    const who = await fetch(`${base}/who`, {
      headers: { cookie: cookies.map((c) => c.split(';')[0]).join('; ') },
    });
    assert.deepEqual(await who.json(), { user: '5' });
    assert.ok(ServerSideSession);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

/**
 * One site, two servers, one cookie jar: the real Flask app with Flask-Login 0.6.3 and Flask-WTF
 * 1.3.0 (examples/flask_login_app.py) and an Express app with this library's `flaskSession`,
 * `flaskLogin` and `csrfProtect`, serving the same routes. Test helper.
 */
import { spawnSync } from 'node:child_process';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { parseSetCookie } from '../../src/index.ts';
import { csrfProtect, flaskLogin, flaskSession } from '../../src/adapters/express.ts';
import { flaskOrSkip, REPO_ROOT } from '../interop/_python.ts';
import { startPythonApp, within, type Running } from '../interop/_servers.ts';

/** The Python with Flask 3.1, Flask-Login 0.6.3 and Flask-WTF 1.3.0, or why the tests skip. */
export function loginPythonOrSkip(): { python: string } | { skip: string } {
  const flask = flaskOrSkip('3.1');
  if ('skip' in flask) return flask;
  const r = spawnSync(
    flask.python,
    [
      '-c',
      "import importlib.metadata as m; print(m.version('flask-login'), m.version('flask-wtf'))",
    ],
    { encoding: 'utf8', timeout: 15000 },
  );
  if (r.status === 0 && r.stdout.trim() === '0.6.3 1.3.0') return { python: flask.python };
  const reason = `Flask-Login 0.6.3 / Flask-WTF 1.3.0 not found beside Flask (${r.stdout.trim() || r.stderr.trim().split('\n').pop()}; run bash scripts/setup-python.sh)`;
  if (process.env['CI'] === 'true') throw new Error(`CI=true and ${reason}`);
  return { skip: reason };
}

export interface SiteConfig {
  secret: string;
  protection: 'basic' | 'strong';
  /** WTF_CSRF_TIME_LIMIT, seconds. */
  timeLimit?: number | undefined;
}

/** The Express twin of examples/flask_login_app.py. */
export function expressApp(config: SiteConfig): express.Express {
  const app = express();
  app.use(flaskSession({ secret: config.secret }));
  app.use(
    flaskLogin({
      secret: config.secret,
      sessionProtection: config.protection,
      userLoader: (id) => (id === 'ghost' ? null : { id }),
    }),
  );
  app.use(express.urlencoded({ extended: false }));
  app.use(
    csrfProtect({
      secret: config.secret,
      timeLimit: config.timeLimit,
      exempt: (req) => req.path === '/exempt',
    }),
  );
  app.get('/whoami', async (req, res) => {
    const user = (await req.login.currentUser()) as { id: string } | null;
    res.json({ user: user?.id ?? null, fresh: req.login.fresh, keys: req.session.keys().sort() });
  });
  app.get('/login/:id', (req, res) => {
    req.login.loginUser({ id: req.params.id }, { remember: req.query['remember'] === '1' });
    res.json({ user: req.params.id });
  });
  app.get('/logout', (req, res) => {
    req.login.logoutUser();
    res.json({ user: null });
  });
  app.get('/form', (req, res) => {
    res.json({ token: req.csrfToken() });
  });
  app.post('/submit', (req, res) => {
    res.json({
      ok: true,
      field: (req.body as Record<string, string> | undefined)?.['name'] ?? null,
    });
  });
  app.post('/exempt', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

export interface Site {
  flask: Running;
  node: Running;
  stop: () => Promise<void>;
}

/** Starts both servers of a site on loopback. */
export async function startSite(python: string, config: SiteConfig): Promise<Site> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SECRET_KEY: config.secret,
    SESSION_PROTECTION: config.protection,
  };
  delete env['WTF_CSRF_TIME_LIMIT'];
  if (config.timeLimit !== undefined) env['WTF_CSRF_TIME_LIMIT'] = String(config.timeLimit);
  const flask = await startPythonApp(
    python,
    REPO_ROOT + 'examples/flask_login_app.py',
    env,
    'Flask-Login app',
  );
  const server: Server = expressApp(config).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const node: Running = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await within(3000, new Promise<void>((r) => server.close(() => r())), () => undefined);
    },
  };
  return {
    flask,
    node,
    stop: async () => {
      await Promise.all([flask.stop(), node.stop()]);
    },
  };
}

/** One browser's cookies (both servers are 127.0.0.1, so they share them). */
export class Jar {
  cookies: Map<string, string> = new Map();
  /** Every Set-Cookie header of the last response. */
  lastSetCookie: string[] = [];
  /** The headers of the last response. */
  lastHeaders: IncomingHttpHeaders = {};
  readonly headers: Record<string, string>;
  constructor(headers: Record<string, string> = {}) {
    this.headers = headers;
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; text: string; json: () => unknown }> {
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    if (this.cookies.size) headers['cookie'] = this.header();
    // node:http, not fetch: fetch would add its own User-Agent
    const r = await new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = request(url, { method: init.method ?? 'GET', headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.setTimeout(5000, () => req.destroy(new Error(`timeout: ${url}`)));
        req.end(init.body);
      },
    );
    this.lastSetCookie = r.headers['set-cookie'] ?? [];
    this.lastHeaders = r.headers;
    for (const h of this.lastSetCookie) {
      const c = parseSetCookie(h);
      const expired =
        c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const text = r.text;
    return { status: r.status, text, json: () => JSON.parse(text) };
  }
}

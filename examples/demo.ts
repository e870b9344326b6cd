/**
 * npm run demo: one login, two stacks. A Node server with Flask's classic session demo routes and a
 * page that shows the session; when Python with Flask is at hand, the same routes run as a real
 * Flask app on a second port with the same secret, and the page shows both servers seeing one
 * session.
 *
 * Environment: PORT (Node, default 3000), FLASK_PORT (default 5000), SECRET_KEY (default: a new
 * random key, printed once), FLASK_PYTHON (default: .venv/bin/python, then python3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { generateSecretKey } from '../src/index.ts';
import { webSessions, type Session } from '../src/adapters/web.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const secret = process.env['SECRET_KEY'] || generateSecretKey();
const generated = !process.env['SECRET_KEY'];
const sessions = webSessions({ secret });

// ---- Flask, when Python has it --------------------------------------------------------------
function findPython(): string | undefined {
  const candidates = [process.env['FLASK_PYTHON'], root + '.venv/bin/python', 'python3'].filter(
    Boolean,
  ) as string[];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import flask'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

let flask: ChildProcess | undefined;
let flaskUrl: string | undefined;

async function startFlask(python: string, port: number): Promise<string> {
  flask = spawn(
    python,
    [root + 'examples/flask_app.py', '--port', String(port), '--host', '127.0.0.1'],
    {
      env: { ...process.env, SECRET_KEY: secret, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    flask!.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    flask!.once('exit', (code) => reject(new Error(`Flask exited with ${code}`)));
  });
}

// ---- The Node side: Flask's demo routes, plus the page ----------------------------------------
function routes(path: string, session: Session): Response | undefined {
  switch (path) {
    case '/':
      session.set('uname', 'momo');
      session.set('pwd', 'python');
      session.permanent = true;
      return new Response('logged in as momo\n');
    case '/getSession/':
      return Response.json({
        uname: session.get('uname') ?? null,
        pwd: session.get('pwd') ?? null,
      });
    case '/deleteSession/':
      session.clear();
      return new Response('session cleared\n');
    case '/api/session':
      return Response.json({
        data: session.toJSON(),
        permanent: session.permanent,
        status: session.status,
      });
    case '/api/permanent':
      session.permanent = true;
      return Response.json({ permanent: true });
    default:
      return undefined;
  }
}

/** Forwards a demo route to Flask with the browser's cookie, and Flask's Set-Cookie back. */
async function viaFlask(path: string, cookie: string | undefined): Promise<Response> {
  if (!flaskUrl) return Response.json({ error: 'Flask is not running' }, { status: 503 });
  const r = await fetch(flaskUrl + path, cookie ? { headers: { cookie } } : {});
  const headers = new Headers({ 'content-type': r.headers.get('content-type') ?? 'text/plain' });
  for (const c of r.headers.getSetCookie()) headers.append('set-cookie', c);
  return new Response(await r.text(), { status: r.status, headers });
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/demo')
    return new Response(page(), { headers: { 'content-type': 'text/html; charset=utf-8' } });
  if (url.pathname.startsWith('/flask/'))
    return viaFlask(url.pathname.slice(6), request.headers.get('cookie') ?? undefined);
  if (url.pathname === '/api/info')
    return Response.json({ flask: flaskUrl ?? null, secretGenerated: generated });
  const session = sessions.open(request);
  const response = routes(url.pathname, session);
  if (!response) return new Response('not found\n', { status: 404 });
  return sessions.commit(session, response);
}

function bridge(req: IncomingMessage, res: ServerResponse): void {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) headers.append(k, x);
  handle(new Request(`http://${req.headers.host}${req.url}`, { headers }))
    .then(async (response) => {
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((v, k) => {
        if (k !== 'set-cookie') out[k] = v;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies;
      res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
    })
    .catch((e) => res.writeHead(500).end(String(e)));
}

function page(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>flask-session-cookie demo</title>
<style>
 body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
 .servers { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
 .card { border: 1px solid #ccc; border-radius: 8px; padding: 1rem; }
 pre { background: #f6f6f6; padding: .5rem; min-height: 3rem; white-space: pre-wrap; }
 button { margin: .2rem .2rem 0 0; }
 #shared { font-weight: bold; }
</style></head><body>
<h1>One session, two servers</h1>
<p>Flask's classic session demo: <code>/</code> logs in as <em>momo</em> (permanent session),
<code>/getSession/</code> reads it, <code>/deleteSession/</code> clears it. Both servers use the same
<code>SECRET_KEY</code> and one browser cookie named <code>session</code>.</p>
<p id="shared">…</p>
<div class="servers">
 <div class="card" id="node"><h2>Node (flask-session-cookie)</h2>
  <button id="node-login">Log in here</button><button id="node-permanent">Make permanent</button>
  <button id="node-clear">Clear here</button><button id="node-read">Read</button>
  <pre id="node-view">…</pre></div>
 <div class="card" id="flask"><h2>Flask</h2>
  <button id="flask-login">Log in here</button><button id="flask-clear">Clear here</button>
  <button id="flask-read">Read</button>
  <pre id="flask-view">…</pre><p id="flask-note"></p></div>
</div>
<p>Cookie in this browser: <code id="cookie">…</code></p>
<script>
const $ = (id) => document.getElementById(id);
let flask = null;
async function refresh() {
  const node = await (await fetch('/getSession/')).json();
  $('node-view').textContent = JSON.stringify(node, null, 1);
  let fl = null;
  if (flask) {
    fl = await (await fetch('/flask/getSession/')).json();
    $('flask-view').textContent = JSON.stringify(fl, null, 1);
  }
  $('cookie').textContent = document.cookie || '(HttpOnly: not visible to scripts; the browser still sends it)';
  const same = fl && node.uname === fl.uname && node.pwd === fl.pwd;
  $('shared').textContent = !flask ? 'Flask is not running: Node only.'
    : same ? (node.uname ? 'Both servers see the same session: logged in as ' + node.uname + '.' : 'Both servers see the same session: empty.')
    : 'The servers disagree!';
}
async function go(path) { await fetch(path); await refresh(); }
$('node-login').onclick = () => go('/');
$('node-permanent').onclick = () => go('/api/permanent');
$('node-clear').onclick = () => go('/deleteSession/');
$('node-read').onclick = () => refresh();
$('flask-login').onclick = () => go('/flask/');
$('flask-clear').onclick = () => go('/flask/deleteSession/');
$('flask-read').onclick = () => refresh();
fetch('/api/info').then((r) => r.json()).then((info) => {
  flask = info.flask;
  if (!flask) {
    for (const b of document.querySelectorAll('#flask button')) b.disabled = true;
    $('flask-note').textContent = 'To add Flask: bash scripts/setup-python.sh, then npm run demo again.';
  } else $('flask-note').innerHTML = 'Also open Flask directly: <a href="' + flask + '/">' + flask + '/</a>';
  refresh();
});
</script></body></html>`;
}

// ---- start ------------------------------------------------------------------------------------
const server = createServer(bridge);
server.listen(Number(process.env['PORT'] ?? 3000), '127.0.0.1', async () => {
  const node = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const python = findPython();
  if (python) {
    try {
      flaskUrl = await startFlask(python, Number(process.env['FLASK_PORT'] ?? 5000));
    } catch (e) {
      console.log(`Flask could not start (${(e as Error).message}): Node only.`);
    }
  }
  if (generated)
    console.log(`SECRET_KEY (generated for this run; set SECRET_KEY to choose one): ${secret}`);
  console.log(`Node demo: ${node}/demo`);
  console.log(
    flaskUrl
      ? `Flask:     ${flaskUrl}/  (same routes, same secret)`
      : 'Flask:     not running (Python with Flask not found: bash scripts/setup-python.sh adds it)',
  );
  console.log('Press Ctrl+C to stop.');
});
const stop = () => {
  flask?.kill();
  server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

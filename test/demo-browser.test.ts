/**
 * The demo in a real browser: Debian's Chromium, driven by playwright-core (no browser download).
 * A login on one server is seen by the other, clearing on either empties both, and the page shows
 * each state. Locally a missing Chromium skips with one line; under CI=true it is a failure.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { chromiumOrSkip, launchChromium } from './_browser.ts';
import { flaskOrSkip } from './interop/_python.ts';

const flask = flaskOrSkip('3.1');
const skip = chromiumOrSkip() ?? ('skip' in flask ? flask.skip : false);
if (skip) console.log(`demo browser test skipped: ${skip}`);

let demo: ChildProcess | undefined;
let browser: Browser | undefined;
let nodeUrl = '';
let flaskUrl = '';

before(async () => {
  if (skip) return;
  demo = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('../examples/demo.ts', import.meta.url).pathname],
    {
      env: {
        ...process.env,
        PORT: '0',
        FLASK_PORT: '0',
        SECRET_KEY: 'demo-browser-secret-0123456789',
        FLASK_PYTHON: 'skip' in flask ? '' : flask.python,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${out}`)), 20000);
    demo!.stdout!.on('data', (d: Buffer) => {
      out += d;
      const n = /Node demo: (http:\/\/\S+)\/demo/.exec(out);
      const f = /Flask: +(http:\/\/\S+)\//.exec(out);
      if (n && f) {
        clearTimeout(timer);
        nodeUrl = n[1]!;
        flaskUrl = f[1]!;
        resolve();
      }
    });
    demo!.once('exit', (code) => reject(new Error(`the demo exited (${code}):\n${out}`)));
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  demo?.kill();
});

const shared = (page: Page) => page.locator('#shared');

test(
  'one browser, two servers: the demo page shows one session',
  { skip, timeout: 60000 },
  async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    await page.goto(nodeUrl + '/demo');
    await assert.doesNotReject(
      shared(page).filter({ hasText: 'Both servers see the same session: empty.' }).waitFor(),
    );

    // log in through Flask, see it on Node
    await page.click('#flask-login');
    await shared(page).filter({ hasText: 'logged in as momo' }).waitFor();
    assert.match(await page.locator('#node-view').innerText(), /"uname": "momo"/);
    assert.match(await page.locator('#flask-view').innerText(), /"uname": "momo"/);

    // the same browser on Flask itself, with no page in between
    const direct = await context.newPage();
    await direct.goto(flaskUrl + '/getSession/');
    assert.match(await direct.locator('body').innerText(), /"uname":\s*"momo"/);

    // clear on Node: gone on both
    await page.click('#node-clear');
    await shared(page).filter({ hasText: 'Both servers see the same session: empty.' }).waitFor();
    await direct.goto(flaskUrl + '/getSession/');
    assert.match(await direct.locator('body').innerText(), /"uname":\s*null/);

    // log in on Node, clear on Flask directly: the page shows it empty
    await page.click('#node-login');
    await shared(page).filter({ hasText: 'logged in as momo' }).waitFor();
    const cookies = await context.cookies(nodeUrl);
    const session = cookies.find((c) => c.name === 'session');
    assert.ok(
      session && session.expires > Date.now() / 1000 + 86400,
      'a permanent cookie that outlives the browser',
    );
    assert.equal(session.httpOnly, true);
    await direct.goto(flaskUrl + '/deleteSession/');
    await page.click('#node-read');
    await shared(page).filter({ hasText: 'Both servers see the same session: empty.' }).waitFor();
    await page.screenshot({ path: new URL('../.tmp/demo.png', import.meta.url).pathname });
    await context.close();
  },
);

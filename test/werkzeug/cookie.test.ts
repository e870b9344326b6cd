/** Werkzeug's parse_cookie and dump_cookie, against vectors made by Werkzeug 3.1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieHeader, dumpCookie, parseCookieHeader, parseSetCookie } from '../../src/index.ts';
import { getCookie } from '../../src/werkzeug/index.ts';
import { vectors as fx } from '../_fixtures.ts';

function grouped(pairs: [string, string][]): [string, string][] {
  const by = new Map<string, string[]>();
  for (const [k, v] of pairs) by.set(k, [...(by.get(k) ?? []), v]);
  return [...by].flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]));
}

test('parseCookieHeader equals Werkzeug 3 parse_cookie on 4,500 headers', () => {
  assert.ok(fx.parse_cookie.length >= 4500);
  for (const c of fx.parse_cookie)
    assert.deepEqual(grouped(parseCookieHeader(c.header)), c.pairs, JSON.stringify(c.header));
});

test("getCookie gives Werkzeug's first value of a name, with and without quotes in the header", () => {
  let unquoted = 0;
  let quoted = 0;
  for (const c of fx.parse_cookie) {
    for (const name of ['session', 'a', 'b', 'x', 'ab', 'SESSION', 'a b', '']) {
      const first = (c.pairs as [string, string][]).find(([k]) => k === name);
      const got = getCookie(c.header, name);
      if (first !== undefined) c.header.includes('"') ? quoted++ : unquoted++;
      assert.equal(got, name ? first?.[1] : undefined, `${JSON.stringify(c.header)} ${name}`);
      // several headers are read as one, joined with ';'
      assert.equal(getCookie(['', c.header], name), got);
    }
  }
  // both paths found the name in many headers
  assert.ok(unquoted > 150 && quoted > 150, `found in ${unquoted} unquoted, ${quoted} quoted`);
});

test('dumpCookie equals Werkzeug dump_cookie', () => {
  for (const c of fx.dump_cookie) {
    const o = c.options;
    const got = dumpCookie(c.name, 'v.a.l', {
      domain: o.domain,
      path: o.path,
      secure: o.secure,
      httpOnly: o.httponly,
      sameSite: o.samesite,
      partitioned: o.partitioned,
      expires: o.expires,
      maxAge: o.max_age,
    });
    assert.equal(got, c.header, JSON.stringify(c));
  }
});

test('parseSetCookie and cookieHeader carry values verbatim', () => {
  const c = parseSetCookie(
    'session=eyJhIjoxfQ.ZVPxAA.iJV_DKrbBSEvPi4QRxnczM2xanI; Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/',
  );
  assert.equal(c.name, 'session');
  assert.equal(c.value, 'eyJhIjoxfQ.ZVPxAA.iJV_DKrbBSEvPi4QRxnczM2xanI');
  assert.equal(c.expires?.getTime(), Date.UTC(2023, 11, 15, 22, 13, 20));
  assert.equal(c.httpOnly, true);
  assert.equal(c.path, '/');
  assert.equal(
    cookieHeader({ session: c.value, theme: 'a%20b' }),
    'session=eyJhIjoxfQ.ZVPxAA.iJV_DKrbBSEvPi4QRxnczM2xanI; theme=a%20b',
  );
});

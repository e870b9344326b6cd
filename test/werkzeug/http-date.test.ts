/** Werkzeug's http_date and parse_date, against vectors made by Werkzeug 3.1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpDate, parseDate } from '../../src/index.ts';
import { vectors as fx } from '../_fixtures.ts';

test("httpDate and parseDate equal Werkzeug's http_date and parse_date", () => {
  for (const c of fx.http_date) assert.equal(httpDate(c.ts), c.text);
  assert.ok(fx.parse_date.length >= 800);
  for (const c of fx.parse_date) {
    if (c.error) {
      assert.throws(() => parseDate(c.text), RangeError, c.text);
      continue;
    }
    const d = parseDate(c.text);
    assert.equal(d === null ? null : d.getTime(), c.ms, JSON.stringify(c.text));
  }
});

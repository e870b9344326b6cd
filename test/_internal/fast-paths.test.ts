/**
 * The read path's shortcuts against the general code they stand in for: Flask's own date format
 * parsed directly against Werkzeug's parse_date port, on valid and invalid dates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TaggedJSONSerializer } from '../../src/flask/tagged-json.ts';
import { httpDate, parseDate } from '../../src/werkzeug/http-date.ts';
import { prng, seedFrom } from '../_random.ts';

const seed = seedFrom('FASTPATH');
const { rand, int } = prng(seed);
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w: number) => String(n).padStart(w, '0');

test(`" d" in http_date's own form reads as parse_date reads it (seed ${seed})`, () => {
  const ser = new TaggedJSONSerializer();
  const read = (s: string) => ser.loads(JSON.stringify({ ' d': s }));
  let dates = 0;
  for (let i = 0; i < 20_000; i++) {
    let s: string;
    if (rand() < 0.5) {
      // a real date, as Flask writes it
      const ms =
        Date.UTC(1000, 0, 1) + Math.floor(rand() * (Date.UTC(9999, 11, 31) - Date.UTC(1000, 0, 1)));
      s = httpDate(new Date(Math.floor(ms / 1000) * 1000));
    } else {
      // the same form with any fields: days a month lacks, hour 24, second 60, years < 1000...
      s =
        `${DAYS[int(7)]}, ${pad(int(40), 2)} ${MONTHS[int(12)]} ${pad(int(10_000), 4)} ` +
        `${pad(int(26), 2)}:${pad(int(61), 2)}:${pad(int(62), 2)} ${rand() < 0.9 ? 'GMT' : 'UTC'}`;
    }
    const want = parseDate(s);
    const got = read(s);
    if (want === null) assert.equal(got, null, s);
    else {
      assert.ok(got instanceof Date, s);
      assert.equal(got.getTime(), want.getTime(), s);
      dates++;
    }
  }
  assert.ok(dates > 10_000);
});

/**
 * HTTP dates as Werkzeug writes and reads them (`http_date`, `parse_date`), which Flask uses for
 * the `" d"` tag and for `Expires`. Port of werkzeug/http.py and email/_parseaddr.py.
 * @module
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/**
 * Formats a time as Werkzeug's `http_date`: `Www, DD Mmm YYYY HH:MM:SS GMT` in UTC, fractions of a
 * second dropped, the year zero-padded to four digits.
 * @param time - a Date, or Unix seconds
 * @throws {@link RangeError} for an invalid date or a year outside 1..9999 (Python's limit)
 * @example
 * ```ts
 * httpDate(1700000000); // 'Tue, 14 Nov 2023 22:13:20 GMT'
 * ```
 */
export function httpDate(time: Date | number): string {
  const ms =
    typeof time === 'number' ? Math.floor(time) * 1000 : Math.floor(time.getTime() / 1000) * 1000;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (!Number.isFinite(ms) || y < 1 || y > 9999)
    throw new RangeError(`date out of range for an HTTP date: ${String(time)}`);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ` +
    `${String(y).padStart(4, '0')} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`
  );
}

const MONTHNAMES = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const DAYNAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TIMEZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  AST: -400,
  ADT: -300,
  EST: -500,
  EDT: -400,
  CST: -600,
  CDT: -500,
  MST: -700,
  MDT: -600,
  PST: -800,
  PDT: -700,
};

/** Python's `str.split()` separators (str.isspace), which differ from JS `\s`. */
const PY_WS = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Thrown where Python raises OverflowError, which Werkzeug does not catch. */
export class DateOverflow extends RangeError {}

/** Python's `int(str)` for ASCII decimal text; undefined where Python raises ValueError. */
function pyInt(s: string): number | undefined {
  const t = s.replace(/^[\t\n\v\f\r\x1c-\x1f \x85\xa0]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0]+$/g, '');
  if (!/^[+-]?\d+(_\d+)*$/.test(t)) return undefined;
  return Number(t.replace(/_/g, ''));
}

const lower = (s: string): string => s.toLowerCase();
const INT32 = 2 ** 31;

/**
 * Parses a date as Werkzeug's `parse_date` (via `email.utils.parsedate_to_datetime`): RFC 2822 and
 * its relatives, 2-digit years (`00`..`68` -> 20xx, `69`..`99` -> 19xx), named and numeric zones.
 * @returns the instant, or null where Werkzeug returns None (unparsable or invalid)
 * @throws {@link DateOverflow} where Python raises OverflowError (a field beyond a C int)
 */
export function parseDate(value: string | null | undefined): Date | null {
  if (value === null || value === undefined || !value) return null;
  let data = value.split(PY_WS).filter((x) => x !== '');
  if (data.length === 0) return null;
  if (data[0]!.endsWith(',') || DAYNAMES.includes(lower(data[0]!))) data.shift();
  else {
    const i = data[0]!.lastIndexOf(',');
    if (i >= 0) data[0] = data[0]!.slice(i + 1);
  }
  if (data.length === 3) {
    const stuff = data[0]!.split('-');
    if (stuff.length === 3) data = [...stuff, ...data.slice(1)];
  }
  if (data.length === 4) {
    const s = data[3]!;
    let i = s.indexOf('+');
    if (i === -1) i = s.indexOf('-');
    if (i > 0) data.splice(3, 1, s.slice(0, i), s.slice(i));
    else data.push('');
  }
  if (data.length < 5) return null;
  let [dd, mm, yy, tm, tz] = data.slice(0, 5) as [string, string, string, string, string];
  if (!(dd && mm && yy)) return null;
  mm = lower(mm);
  if (!MONTHNAMES.includes(mm)) {
    [dd, mm] = [mm, lower(dd)];
    if (!MONTHNAMES.includes(mm)) return null;
  }
  let month = MONTHNAMES.indexOf(mm) + 1;
  if (month > 12) month -= 12;
  if (dd.endsWith(',')) dd = dd.slice(0, -1);
  if (yy.indexOf(':') > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(',')) {
    yy = yy.slice(0, -1);
    if (!yy) return null;
  }
  if (!/^\d/.test(yy)) [yy, tz] = [tz, yy];
  if (tm.endsWith(',')) tm = tm.slice(0, -1);
  let parts = tm.split(':');
  let thh: string, tmm: string, tss: string;
  if (parts.length === 2) [thh, tmm, tss] = [parts[0]!, parts[1]!, '0'];
  else if (parts.length === 3) [thh, tmm, tss] = parts as [string, string, string];
  else if (parts.length === 1 && parts[0]!.includes('.')) {
    parts = parts[0]!.split('.');
    if (parts.length === 2) [thh, tmm, tss] = [parts[0]!, parts[1]!, '0'];
    else if (parts.length === 3) [thh, tmm, tss] = parts as [string, string, string];
    else return null;
  } else return null;
  const nums = [yy, dd, thh, tmm, tss].map(pyInt);
  if (nums.some((n) => n === undefined)) return null;
  let [year, day, hour, minute, second] = nums as [number, number, number, number, number];
  if (year < 100) year += year > 68 ? 1900 : 2000;
  let offset: number | null = null;
  const tzu = tz.toUpperCase();
  if (Object.hasOwn(TIMEZONES, tzu)) offset = TIMEZONES[tzu]!;
  else {
    const n = pyInt(tzu);
    if (n !== undefined) offset = n;
    if (offset === 0 && tzu.startsWith('-')) offset = null;
  }
  let offsetSeconds = 0;
  if (offset) {
    const sign = offset < 0 ? -1 : 1;
    const o = Math.abs(offset);
    offsetSeconds = sign * (Math.floor(o / 100) * 3600 + (o % 100) * 60);
  }
  // datetime(...): C int arguments first (OverflowError), then the range checks (ValueError).
  for (const n of [year, month, day, hour, minute, second])
    if (n >= INT32 || n < -INT32) throw new DateOverflow('signed integer is greater than maximum');
  if (year < 1 || year > 9999 || day < 1 || hour > 23 || hour < 0 || minute > 59 || minute < 0)
    return null;
  if (second > 59 || second < 0) return null;
  const dim = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // days in month for a leap year
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && !leap ? 28 : dim)) return null;
  // timezone(timedelta(seconds=offset)) must be strictly within one day
  if (Math.abs(offsetSeconds) >= 86400) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return new Date(d.getTime() - offsetSeconds * 1000);
}

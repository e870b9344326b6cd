/**
 * Werkzeug's HTTP rules that a Flask session depends on: reading the Cookie header (`parse_cookie`:
 * the first value of a name wins, malformed pairs are skipped), writing Set-Cookie (`dump_cookie`:
 * attribute order, Path quoting, IDNA Domain, the 4093-byte warning), and HTTP dates (`http_date`,
 * `parse_date`, used by `Expires` and the `" d"` tag). Port of werkzeug/http.py and
 * werkzeug/sansio/http.py (`cookie.ts`), with email/_parseaddr.py for dates (`http-date.ts`).
 * @module
 */

export {
  parseCookieHeader,
  getCookie,
  dumpCookie,
  parseSetCookie,
  cookieHeader,
  MAX_COOKIE_SIZE,
} from './cookie.ts';
export type { DumpCookieOptions, SetCookie } from './cookie.ts';
export { httpDate, parseDate } from './http-date.ts';

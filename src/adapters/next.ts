/**
 * Flask sessions for Next.js (15 and 16, App Router): read the session in Server Components from
 * `await cookies()`, change it in Server Actions and Route Handlers (saved through the cookie
 * store's own `set`, with Flask's rules), and refresh it or require a login in the proxy
 * (`proxy.ts`, `middleware.ts` before Next 16). Nothing is imported from `next`: the cookie store,
 * the request and `NextResponse` are taken as they are.
 * @module
 */

import { sessionBackend, type AnySessionOptions, type SessionBackend } from './_backend.ts';
import type { AppSessionData, Session } from '../flask/session-interface.ts';
import type { SessionData } from '../flask/tagged-json.ts';
import { parseSetCookie, type SetCookie } from '../werkzeug/cookie.ts';

export { Session } from '../flask/session-interface.ts';
export { flash, getFlashedMessages } from '../flask/flashing.ts';
export type { SessionOptions } from '../flask/session-interface.ts';
export { MemoryStore } from '../flask-session/memory.ts';
export { ServerSideSession } from '../flask-session/base.ts';
export { redisStore } from './redis.ts';
export type { ServerSideOptions } from '../flask-session/base.ts';
export type { SessionStore } from '../flask-session/store.ts';
export type { AnySessionOptions } from './_backend.ts';

/** The options Next's `cookies().set(name, value, options)` takes, as far as Flask uses them. */
export interface NextCookieOptions {
  expires?: Date;
  maxAge?: number;
  domain?: string;
  path?: string;
  secure?: boolean;
  httpOnly?: boolean;
  /** Passed as Flask writes it (`Lax`), which Next writes out unchanged. */
  sameSite?: 'lax' | 'strict' | 'none';
  partitioned?: boolean;
}

/**
 * What is read from a cookie store: `await cookies()` (next/headers), `request.cookies` in the
 * proxy, `response.cookies`.
 */
export interface CookieReader {
  get(name: string): { value: string } | undefined;
}

/** A cookie store that can be written: `await cookies()` in Server Actions and Route Handlers. */
export interface CookieWriter extends CookieReader {
  set(name: string, value: string, options: NextCookieOptions): unknown;
}

/** A session read from Next's cookies, with `save()` to send what Flask would send. */
export type NextSession<T extends SessionData = AppSessionData> = Session<T> & {
  /**
   * Writes the session cookie through the cookie store, by Flask's rules: a new cookie when the
   * session changed, the deletion cookie when it was emptied, the same data re-signed when it is
   * permanent (`refreshEachRequest`), nothing otherwise. Only where Next lets cookies be set
   * (Server Actions, Route Handlers); Server Components read only.
   * @throws what the cookie store throws when it is read-only (a Server Component), or
   *   {@link SessionStoreError} when a server-side store fails
   */
  save(): Promise<void>;
};

/** The session cookie's name: `SESSION_COOKIE_NAME`. */
function cookieNameOf(options: AnySessionOptions): string {
  return (options as { cookieName?: string | undefined }).cookieName ?? 'session';
}

/**
 * Next's cookie options for a cookie that a Flask `Set-Cookie` header describes (every attribute
 * Flask can send: Expires, Max-Age, Domain, Path, Secure, HttpOnly, SameSite, Partitioned).
 * @param c - the cookie, as {@link parseSetCookie} reads it from the header
 * @returns the options to pass to `cookies().set(c.name, c.value, options)`
 * @example
 * ```ts
 * const c = parseSetCookie(flaskSetCookieHeader);
 * (await cookies()).set(c.name, c.value, nextCookieOptions(c));
 * ```
 */
export function nextCookieOptions(c: SetCookie): NextCookieOptions {
  const o: NextCookieOptions = {};
  if (c.path !== undefined) o.path = c.path;
  if (c.expires !== undefined) o.expires = c.expires;
  if (c.maxAge !== undefined) o.maxAge = c.maxAge;
  if (c.domain !== undefined) o.domain = c.domain;
  if (c.secure) o.secure = true;
  if (c.httpOnly) o.httpOnly = true;
  if (c.sameSite !== undefined) o.sameSite = c.sameSite as 'lax';
  if (c.partitioned) o.partitioned = true;
  return o;
}

/**
 * Sets a Flask `Set-Cookie` header through a cookie store. Next writes the value with
 * `encodeURIComponent`, which leaves a Flask session cookie (URL-safe base64 and dots) unchanged;
 * a value that it would change is refused rather than sent altered.
 */
function setThrough(store: CookieWriter, setCookie: string): SetCookie {
  const c = parseSetCookie(setCookie);
  if (encodeURIComponent(c.value) !== c.value)
    throw new TypeError(`the ${c.name} cookie's value would be altered by Next's cookie encoding`);
  const options = nextCookieOptions(c);
  // SameSite as Flask wrote it (`Lax`): the parsed cookie has it in lower case
  const sameSite = /;\s*SameSite=([^;]*)/i.exec(setCookie)?.[1];
  if (sameSite !== undefined) options.sameSite = sameSite.trim() as 'lax';
  store.set(c.name, c.value, options);
  return c;
}

async function open<T extends SessionData>(
  backend: SessionBackend<T>,
  name: string,
  cookies: CookieReader,
): Promise<Session<T>> {
  return backend.open(() => {
    const c = cookies.get(name);
    return c === undefined ? undefined : `${name}=${c.value}`;
  });
}

/**
 * The Flask session of the current request, from Next's cookie store (as iron-session's
 * `getIronSession(await cookies(), options)`). Read it anywhere; `await session.save()` in a Server
 * Action or Route Handler sends what Flask would send. Options with a `store` give server-side
 * sessions shared with Flask-Session.
 * @param cookies - `await cookies()` from next/headers (or any store with `get` and, to save, `set`)
 * @param options - the session options, the same as the Flask app's config
 * @returns the session, typed by `T`, with `save()`
 * @throws {@link SessionStoreError} when a server-side store fails (unless `onStoreError: 'empty'`)
 * @example
 * ```ts
 * // app/page.tsx (a Server Component: read only)
 * const session = await getSession<{ _user_id?: string }>(await cookies(), options);
 * return <p>{session.get('_user_id') ?? 'not logged in'}</p>;
 * ```
 */
export async function getSession<T extends SessionData = AppSessionData>(
  cookies: CookieReader | CookieWriter,
  options: AnySessionOptions,
): Promise<NextSession<T>> {
  const backend = sessionBackend<T>(options);
  const session = (await open(backend, cookieNameOf(options), cookies)) as NextSession<T>;
  Object.defineProperty(session, 'save', {
    configurable: true,
    enumerable: false,
    value: async (): Promise<void> => {
      const r = await backend.save(session);
      if (r.setCookie === undefined) return;
      if (typeof (cookies as Partial<CookieWriter>).set !== 'function')
        throw new TypeError('this cookie store cannot be written (a Server Component reads only)');
      setThrough(cookies as CookieWriter, r.setCookie);
    },
  });
  return session;
}

/** The parts of a `NextRequest` the proxy uses. */
export interface ProxyRequest {
  url: string;
  headers: Headers;
  cookies: CookieReader;
}

/** The parts of a `NextResponse` the proxy uses. */
export interface ProxyResponse {
  headers: Headers;
  cookies: CookieWriter;
}

/** `NextResponse` itself (its static `next` and `redirect`), passed in by the app. */
export interface NextResponseStatic<R extends ProxyResponse> {
  next(init?: { request?: { headers?: Headers } }): R;
  redirect(url: string | URL, init?: number): R;
}

/** Session handling in the proxy, bound to `NextResponse` and the options. */
export interface FlaskProxy<T extends SessionData, R extends ProxyResponse> {
  /** The request's session. */
  open(request: ProxyRequest): Promise<Session<T>>;
  /**
   * Goes on to the page (`NextResponse.next`): saves the session by Flask's rules, which re-issues a
   * permanent session with a new expiry on every navigation, sends the cookie to the browser, and
   * rewrites the request's `Cookie` header so that the page rendered for this very request reads
   * the new cookie.
   */
  next(request: ProxyRequest, session: Session<T>): Promise<R>;
  /** Redirects (`NextResponse.redirect`), saving the session on the redirect. */
  redirect(session: Session<T>, url: string | URL): Promise<R>;
  /**
   * Flask-Login's `login_required` for the proxy: a redirect to `loginUrl?next=<path>` when the
   * session has no `_user_id` (the key Flask-Login's `login_user` stores), else undefined.
   */
  loginRequired(
    request: ProxyRequest,
    session: Session<T>,
    loginUrl: string,
  ): Promise<R | undefined>;
}

/** The request's Cookie header with the session cookie replaced (or removed when deleted). */
function forwardedCookie(header: string | null, name: string, c: SetCookie): string {
  const kept = (header ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '' && (p.includes('=') ? p.slice(0, p.indexOf('=')).trim() : p) !== name);
  if (c.maxAge !== 0 && c.value !== '') kept.push(`${name}=${c.value}`);
  return kept.join('; ');
}

/**
 * Flask sessions in the proxy (`proxy.ts` in Next 16, `middleware.ts` before): refresh a permanent
 * session on navigation, forward the new cookie to the same render, require a logged-in user.
 * @param NextResponse - `NextResponse` from next/server
 * @param options - the session options, the same as the Flask app's config
 * @returns `open`, `next`, `redirect` and `loginRequired`
 * @throws {@link TypeError} when the options cannot work
 * @example
 * ```ts
 * const sessions = flaskProxy(NextResponse, { secret: process.env.SECRET_KEY! });
 * export async function proxy(request: NextRequest) {
 *   const session = await sessions.open(request);
 *   return (await sessions.loginRequired(request, session, '/login')) ?? sessions.next(request, session);
 * }
 * ```
 */
export function flaskProxy<
  T extends SessionData = AppSessionData,
  R extends ProxyResponse = ProxyResponse,
>(NextResponse: NextResponseStatic<R>, options: AnySessionOptions): FlaskProxy<T, R> {
  const backend = sessionBackend<T>(options);
  const name = cookieNameOf(options);
  const saveInto = async (session: Session<T>, response: R): Promise<SetCookie | undefined> => {
    const r = await backend.save(session);
    return r.setCookie === undefined ? undefined : setThrough(response.cookies, r.setCookie);
  };
  const proxy: FlaskProxy<T, R> = {
    open: (request) => open(backend, name, request.cookies),
    async next(request, session) {
      void session.read; // opens a lazily read session: a permanent one is then refreshed
      const r = await backend.save(session);
      if (r.setCookie === undefined) return NextResponse.next();
      const c = parseSetCookie(r.setCookie);
      const headers = new Headers(request.headers);
      const cookie = forwardedCookie(request.headers.get('cookie'), name, c);
      if (cookie === '') headers.delete('cookie');
      else headers.set('cookie', cookie);
      const response = NextResponse.next({ request: { headers } });
      setThrough(response.cookies, r.setCookie);
      return response;
    },
    async redirect(session, url) {
      const response = NextResponse.redirect(url);
      await saveInto(session, response);
      return response;
    },
    async loginRequired(request, session, loginUrl) {
      if (session.get('_user_id' as keyof T & string) != null) return undefined;
      const here = new URL(request.url);
      const target = new URL(loginUrl, here);
      target.searchParams.set('next', here.pathname + here.search);
      // Flask-Login's unauthorized() redirects with 302 (Next's default, 307, would re-send a POST)
      const response = NextResponse.redirect(target, 302);
      await saveInto(session, response);
      return response;
    },
  };
  return proxy;
}

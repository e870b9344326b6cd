/**
 * Flask-Login's defaults and the options that replace its config keys (`SESSION_PROTECTION`,
 * `REMEMBER_COOKIE_*`). Port of flask_login/config.py (0.6.3).
 * @module
 */

import type { SecretKey } from '../itsdangerous/signer.ts';

/** `COOKIE_NAME`: the remember cookie's name. */
export const REMEMBER_COOKIE_NAME = 'remember_token';
/** `COOKIE_DURATION`: 365 days, in seconds. */
export const REMEMBER_COOKIE_DURATION: number = 365 * 24 * 3600;
/** `SESSION_KEYS`: what "strong" session protection removes from the session. */
export const SESSION_KEYS: readonly string[] = [
  '_user_id',
  '_remember',
  '_remember_seconds',
  '_id',
  '_fresh',
  'next',
];

/** How the session identifier `_id` is computed (see `createIdentifier`). */
export type IdentifierAlgorithm = '0.6' | 'main';

/** `SESSION_PROTECTION`: "basic" (the default), "strong", or null/undefined to turn it off. */
export type SessionProtection = 'basic' | 'strong' | null;

/** The options of a {@link LoginManager}: Flask-Login's config keys, with its defaults. */
export interface LoginOptions {
  /** `SECRET_KEY`: signs the remember cookie; a string is used as its latin-1 bytes. */
  secret: SecretKey;
  /** `SESSION_PROTECTION`. @default 'basic' */
  sessionProtection?: SessionProtection | string | undefined;
  /**
   * The `_id` algorithm: '0.6' is Flask-Login 0.6.3's (the first `X-Forwarded-For` entry, else the
   * peer address, and the User-Agent, as Python bytes reprs); 'main' is Flask-Login's main branch
   * (the peer address and the User-Agent, no `X-Forwarded-For`). @default '0.6'
   */
  identifier?: IdentifierAlgorithm | undefined;
  /** `REMEMBER_COOKIE_NAME`. @default 'remember_token' */
  rememberCookieName?: string | undefined;
  /** `REMEMBER_COOKIE_DURATION`, seconds. @default 365 days */
  rememberCookieDuration?: number | undefined;
  /** `REMEMBER_COOKIE_DOMAIN`. @default none */
  rememberCookieDomain?: string | null | undefined;
  /** `REMEMBER_COOKIE_PATH`. @default '/' */
  rememberCookiePath?: string | undefined;
  /** `REMEMBER_COOKIE_SECURE`. @default false */
  rememberCookieSecure?: boolean | undefined;
  /** `REMEMBER_COOKIE_HTTPONLY`. @default true */
  rememberCookieHttpOnly?: boolean | undefined;
  /** `REMEMBER_COOKIE_SAMESITE`. @default none */
  rememberCookieSameSite?: string | null | undefined;
  /** `REMEMBER_COOKIE_REFRESH_EACH_REQUEST`: re-issue the cookie on every request. @default false */
  rememberCookieRefreshEachRequest?: boolean | undefined;
  /** The clock (Unix seconds or a Date), for tests. @default Date.now */
  now?: (() => Date | number) | undefined;
}

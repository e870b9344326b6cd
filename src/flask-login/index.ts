/**
 * Flask-Login 0.6.3, ported for sessions shared with a Flask app: a user logged in on either side
 * is logged in on both. One file per module of flask_login:
 * - `utils.ts`: `login_user` / `logout_user` / `confirm_login` / `login_fresh` as session writes,
 *   the session identifier `_id` (`_create_identifier`, 0.6.3's and the main branch's) and the
 *   remember cookie's `encode_cookie` / `decode_cookie` (HMAC-SHA512 under the latin-1 key);
 * - `login-manager.ts`: `LoginManager`: session protection ("basic", "strong"), loading the user
 *   from the session or the remember cookie (`_load_user`), and the remember cookie's Set-Cookie
 *   (`_update_remember_cookie`); the user loader is the app's;
 * - `config.ts`: Flask-Login's defaults and the options named after its config keys.
 * @module
 */

export { REMEMBER_COOKIE_DURATION, REMEMBER_COOKIE_NAME, SESSION_KEYS } from './config.ts';
export type { IdentifierAlgorithm, LoginOptions, SessionProtection } from './config.ts';
export {
  confirmLogin,
  createIdentifier,
  decodeCookie,
  encodeCookie,
  getRemoteAddr,
  loginFresh,
  loginUser,
  logoutUser,
  pythonBytesRepr,
  sessionUserId,
} from './utils.ts';
export type { LoginUserOptions, RequestFacts } from './utils.ts';
export { LoginManager } from './login-manager.ts';
export type { LoadedUser, UserLoader } from './login-manager.ts';
export { loginOptionsFromFlaskConfig } from '../flask/config.ts';

/**
 * Flask's session, ported from flask/sessions.py, flask/json/tag.py and flask/helpers.py:
 * - `tagged-json.ts`: `TaggedJSONSerializer`, the JSON with tags (`" t"`, `" b"`, `" m"`, `" u"`,
 *   `" d"`, `" di"`) that carries tuples, bytes, Markup, UUIDs and datetimes (json/tag.py);
 * - `cookie-session.ts`: `SecureCookieSessionInterface`'s cookie: `loadSession`/`readSession`
 *   (open_session), `dumpSession`/`refreshSession` (the Set-Cookie of save_session),
 *   `getSigningSerializer` (get_signing_serializer);
 * - `session-interface.ts`: `Session` (SecureCookieSession: modified, accessed, permanent) and
 *   `SessionInterface`, which decides what to send as `save_session` does;
 * - `flashing.ts`: `flash` and `getFlashedMessages` (helpers.py);
 * - `config.ts`: session options from Flask's config keys (`SECRET_KEY`, `SESSION_COOKIE_*`, ...).
 * @module
 */

export {
  loadSession,
  readSession,
  dumpSession,
  refreshSession,
  getSigningSerializer,
  isPermanent,
  DEFAULT_SALT,
  DEFAULT_PERMANENT_LIFETIME,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_VALUE_SIZE,
} from './cookie-session.ts';
export type {
  SessionConfig,
  LoadSessionOptions,
  DumpSessionOptions,
  SessionStatus,
  SessionReadResult,
  SigningSerializerOptions,
} from './cookie-session.ts';
export { Session, SessionInterface } from './session-interface.ts';
export type {
  SessionOptions,
  SaveResult,
  FlaskSessionData,
  AppSessionData,
} from './session-interface.ts';
export { flash, getFlashedMessages } from './flashing.ts';
export type { FlashedMessagesOptions } from './flashing.ts';
export { flaskConfigFromEnv, sessionOptionsFromFlaskConfig } from './config.ts';
export type { FlaskSessionConfig } from './config.ts';
export { TaggedJSONSerializer, JSONTag } from './tagged-json.ts';
export type { SessionValue, SessionData, JSONTagClass, TaggedJSONOptions } from './tagged-json.ts';

/**
 * Flask-WTF 1.3.0's CSRF protection, ported for forms shared with a Flask app: a form rendered by
 * Node posts to Flask's `CSRFProtect`, a token rendered by Flask passes Node's check, and both
 * refuse a bad token with the same reason. One file per module of flask_wtf: `csrf.ts`
 * (`generate_csrf`, `validate_csrf`, `CSRFProtect`, `same_origin`, the 400 page of `CSRFError`).
 * @module
 */

export {
  CSRF_MESSAGES,
  CSRF_SALT,
  CSRFError,
  CSRFProtect,
  csrfErrorPage,
  generateCsrf,
  sameOrigin,
  validateCsrf,
} from './csrf.ts';
export type {
  CSRFErrorCode,
  CSRFProtectOptions,
  CsrfRequest,
  CsrfTokenOptions,
  ValidateCsrfOptions,
} from './csrf.ts';
export { csrfOptionsFromFlaskConfig } from '../flask/config.ts';

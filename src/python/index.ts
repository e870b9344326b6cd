/**
 * What Python brings to a Flask session: its `json` module (`json.ts`: float repr, exact big ints,
 * `NaN`/`Infinity`, code-point key order, `ensure_ascii`, and a parser that reads as `json.loads`
 * does) and the Python types that have no JavaScript twin (`types.ts`: tuple, MarkupSafe's `Markup`,
 * `uuid.UUID`; `bytes` is a `Uint8Array`, `datetime` a `Date`, a big `int` a `bigint`).
 * @module
 */

export { pyDumps, pyLoads, pyFloatRepr, JSONDecodeError, DEFAULT_MAX_DEPTH } from './json.ts';
export type { JSONValue, JSONObject, DumpsOptions, LoadsOptions } from './json.ts';
export { tuple, isTuple, Markup, UUID } from './types.ts';
export type { Tuple } from './types.ts';

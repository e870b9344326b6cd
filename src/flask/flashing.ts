/**
 * Flashed messages: `flash` stores a message in the session for the next request, which takes it
 * out with `getFlashedMessages`, in Flask or in Node. Port of `flash` and `get_flashed_messages`
 * from flask/helpers.py.
 * @module
 */

import { tuple } from '../python/types.ts';
import type { Session } from './session-interface.ts';
import type { SessionValue } from './tagged-json.ts';

/**
 * Flask's `flash(message, category)`: appends `(category, message)` to the session's `_flashes`, so
 * that the next request, in Flask or in Node, can show it.
 * @example
 * ```ts
 * flash(session, 'Saved.', 'success');
 * ```
 */
export function flash(session: Session<any>, message: SessionValue, category = 'message'): void {
  const current = session.get('_flashes');
  const flashes = Array.isArray(current) ? [...current] : [];
  flashes.push(tuple(category, message));
  session.set('_flashes', flashes);
}

/** Options of {@link getFlashedMessages}, as Flask's `get_flashed_messages`. */
export interface FlashedMessagesOptions {
  /** Return `[category, message]` pairs instead of messages. @default false */
  withCategories?: boolean | undefined;
  /** Only these categories (all flashes leave the session all the same, as in Flask). */
  categoryFilter?: readonly string[] | undefined;
}

/**
 * Flask's `get_flashed_messages`: takes the flashed messages out of the session (once per request:
 * later calls in the same request see the same list).
 */
export function getFlashedMessages(
  session: Session<any>,
  options?: FlashedMessagesOptions & { withCategories?: false | undefined },
): SessionValue[];
export function getFlashedMessages(
  session: Session<any>,
  options: FlashedMessagesOptions & { withCategories: true },
): [string, SessionValue][];
export function getFlashedMessages(
  session: Session<any>,
  options: FlashedMessagesOptions = {},
): SessionValue[] | [string, SessionValue][] {
  let flashes = session.takeFlashes();
  const filter = options.categoryFilter;
  if (filter && filter.length) flashes = flashes.filter((f) => filter.includes(f[0]));
  if (options.withCategories) return flashes.map((f) => [f[0], f[1]]);
  return flashes.map((f) => f[1]);
}

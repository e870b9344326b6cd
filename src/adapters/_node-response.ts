/**
 * Saving a session on a Node `ServerResponse` before its headers leave, however the app answers:
 * `res.end`, `res.write` then `end`, a piped stream, `res.flushHeaders()`, `res.writeHead` with its
 * own headers (a `Set-Cookie` there is added to the session's, not replacing it), HEAD requests.
 * The same idea as the `on-headers` package that express-session uses, plus a wait for the
 * server-side store: output is held until the store write finishes, so that the response never
 * refers to a session the store does not have yet. Internal.
 * @module
 */

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { SavePlan } from '../flask-session/base.ts';
import type { SaveResult } from '../flask/session-interface.ts';
import { varyWithCookie } from './_vary.ts';

type Output = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type Fn = (...args: unknown[]) => unknown;

/** Adds what `save_session` decided to the response's headers. */
export function applySaveResult(res: ServerResponse, r: SaveResult): void {
  if (r.setCookie !== undefined) {
    const current = res.getHeader('Set-Cookie');
    res.setHeader(
      'Set-Cookie',
      current === undefined
        ? [r.setCookie]
        : [...(Array.isArray(current) ? current : [String(current)]), r.setCookie],
    );
  }
  if (r.vary) res.setHeader('Vary', varyWithCookie(res.getHeader('Vary')));
}

/** `writeHead(status, [message], [headers])`: the headers moved onto `res`, Set-Cookie appended. */
function takeWriteHeadHeaders(res: ServerResponse, args: unknown[]): unknown[] {
  const at = typeof args[1] === 'string' ? 2 : 1;
  const headers = args[at];
  if (headers === undefined || headers === null) return args;
  const pairs: [string, unknown][] = [];
  if (Array.isArray(headers)) {
    // [[name, value], ...] or a flat [name, value, name, value, ...]
    if (Array.isArray(headers[0]))
      for (const [k, v] of headers as [string, unknown][]) pairs.push([k, v]);
    else
      for (let i = 0; i + 1 < headers.length; i += 2)
        pairs.push([String(headers[i]), headers[i + 1]]);
  } else
    for (const k of Object.keys(headers as OutgoingHttpHeaders))
      pairs.push([k, (headers as OutgoingHttpHeaders)[k]]);
  for (const [k, v] of pairs) {
    if (v === undefined) continue;
    if (k.toLowerCase() === 'set-cookie') {
      const current = res.getHeader('Set-Cookie');
      const mine =
        current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
      res.setHeader('Set-Cookie', [...mine, ...(Array.isArray(v) ? v.map(String) : [String(v)])]);
    } else res.setHeader(k, v as string | number | readonly string[]);
  }
  return args.slice(0, at);
}

/**
 * Calls `plan()` when the response is about to send its headers, applies its headers and, when it
 * has a store write, holds all output until the write is done.
 * @param plan - what to send, or undefined when the request has no session to save
 * @param onError - a save or store error, before any output left: the framework's error path; the
 *   output the app had started is dropped, and output after the error response ended is ignored
 */
export function saveBeforeHeaders(
  res: ServerResponse,
  plan: () => SavePlan | undefined,
  onError: (error: unknown) => void,
): void {
  const original: Record<Output, Fn> = {
    writeHead: res.writeHead as Fn,
    write: res.write as Fn,
    end: res.end as Fn,
    flushHeaders: res.flushHeaders as Fn,
  };
  let state: 'open' | 'waiting' | 'done' | 'failed' = 'open';
  const held: [Output, unknown[]][] = [];
  const call = (kind: Output, args: unknown[]): unknown => original[kind].apply(res, args);
  const fail = (e: unknown): void => {
    state = 'failed';
    held.length = 0;
    onError(e);
  };
  const intercept =
    (kind: Output) =>
    (...args: unknown[]): unknown => {
      if (state === 'done') return call(kind, args);
      if (state === 'failed') {
        // the error response is the framework's; what the app still writes after it ended is not
        if (res.writableEnded || res.destroyed) return kind === 'write' ? false : res;
        return call(kind, args);
      }
      if (kind === 'writeHead') args = takeWriteHeadHeaders(res, args);
      if (state === 'waiting') {
        held.push([kind, args]);
        return kind === 'write' ? true : res;
      }
      if (res.headersSent) {
        state = 'done';
        return call(kind, args);
      }
      let p: SavePlan | undefined;
      try {
        p = plan();
      } catch (e) {
        fail(e);
        return kind === 'write' ? false : res;
      }
      if (p === undefined || p.write === undefined) {
        if (p) applySaveResult(res, p.result);
        state = 'done';
        return call(kind, args);
      }
      state = 'waiting';
      held.push([kind, args]);
      p.write().then(
        () => {
          if (state !== 'waiting') return;
          if (!res.destroyed) applySaveResult(res, p.result);
          state = 'done';
          for (const [k, a] of held.splice(0)) call(k, a);
        },
        (e: unknown) => {
          if (state === 'waiting') fail(e);
        },
      );
      return kind === 'write' ? true : res;
    };
  res.writeHead = intercept('writeHead') as typeof res.writeHead;
  res.write = intercept('write') as typeof res.write;
  res.end = intercept('end') as typeof res.end;
  res.flushHeaders = intercept('flushHeaders') as typeof res.flushHeaders;
}

/**
 * Runs `hook` once, just before the response's first output (`writeHead`, `write`, `end` or
 * `flushHeaders`), for middleware that must change the session or the headers before
 * {@link saveBeforeHeaders} (registered earlier, so these wrappers run first) saves it.
 */
export function beforeFirstOutput(res: ServerResponse, hook: () => void): void {
  let done = false;
  for (const kind of ['writeHead', 'write', 'end', 'flushHeaders'] as const) {
    const inner = res[kind] as Fn;
    (res as unknown as Record<Output, Fn>)[kind] = function (this: ServerResponse, ...args) {
      if (!done && !res.headersSent) {
        done = true;
        hook();
      }
      return inner.apply(this, args);
    };
  }
}

/**
 * Server-side sessions shared with Flask-Session 0.8: the data in a store (Redis, or memory), only a
 * random session id in the cookie. The same keys, encoding, expiry and save rules as Flask-Session's
 * `RedisSessionInterface`, behind the same session API and adapters as cookie sessions.
 * Port of flask_session/base.py (ServerSideSession, ServerSideSessionInterface); the stores are in
 * their own files, as Flask-Session's backends are.
 * @module
 */

import { BadSignature } from '../itsdangerous/errors.ts';
import { dumpCookie, getCookie } from '../werkzeug/cookie.ts';
import { msgpackDecode, msgpackEncode, MsgpackError } from './msgpack.ts';
import { base64Encode, b64encodeStandard } from '../itsdangerous/encoding.ts';
import { pyLoads, pyStringLiteral } from '../python/json.ts';
import { Session, type SaveResult } from '../flask/session-interface.ts';
import { DEFAULT_PERMANENT_LIFETIME, isPermanent } from '../flask/cookie-session.ts';
import { Signer, type SecretKey } from '../itsdangerous/signer.ts';
import type { SessionData } from '../flask/tagged-json.ts';
import { Markup, UUID } from '../python/types.ts';
import { isBytes, utf8, utf8DecodeStrict } from '../_internal/bytes.ts';
import { SessionStoreError, type SessionStore } from './store.ts';

/** What {@link ServerSideSessionInterface.plan} decided: the headers, and the store write. */
export interface SavePlan {
  result: SaveResult;
  /** The store write (or delete) to finish before the response does. */
  write?: (() => Promise<void>) | undefined;
}

/** A store operation, its failure as a {@link SessionStoreError}. */
async function storeOp(op: () => Promise<void>): Promise<void> {
  try {
    await op();
  } catch (e) {
    throw e instanceof SessionStoreError ? e : new SessionStoreError(String(e), { cause: e });
  }
}

/** Options of {@link ServerSideSessionInterface}: Flask-Session's config, in camelCase. */
export interface ServerSideOptions {
  /** Where the sessions live. */
  store: SessionStore;
  /** `SECRET_KEY`: only needed with `useSigner`. */
  secret?: SecretKey | undefined;
  /** `SESSION_KEY_PREFIX`. @default 'session:' */
  keyPrefix?: string | undefined;
  /** `SESSION_USE_SIGNER`: sign the id in the cookie (itsdangerous Signer, salt `flask-session`). @default false */
  useSigner?: boolean | undefined;
  /** `SESSION_PERMANENT`: new sessions are permanent. @default true */
  permanent?: boolean | undefined;
  /** `SESSION_ID_LENGTH`: random bytes in a new id (`secrets.token_urlsafe(n)`). @default 32 */
  sidLength?: number | undefined;
  /** `SESSION_SERIALIZATION_FORMAT`. @default 'msgpack' */
  serializationFormat?: 'msgpack' | 'json' | undefined;
  /** `PERMANENT_SESSION_LIFETIME` in seconds: the store's TTL and the cookie's Expires. @default 2678400 */
  permanentLifetime?: number | undefined;
  /** `SESSION_REFRESH_EACH_REQUEST`. @default true */
  refreshEachRequest?: boolean | undefined;
  /** `SESSION_COOKIE_NAME`. @default 'session' */
  cookieName?: string | undefined;
  domain?: string | undefined;
  /** @default '/' */
  path?: string | undefined;
  /** @default true */
  httpOnly?: boolean | undefined;
  /** @default false */
  secure?: boolean | undefined;
  sameSite?: string | undefined;
  /**
   * When the store fails on read: `'throw'` a {@link SessionStoreError} (the request fails, as in
   * Flask-Session), or `'empty'` to go on with a new empty session. A failed write always throws.
   * @default 'throw'
   */
  onStoreError?: 'throw' | 'empty' | undefined;
  /**
   * `SESSION_CLEANUP_N_REQUESTS`: for a store with `deleteExpired` (SQL), delete the expired
   * sessions on a request when `random.randint(0, N) == 0`, as Flask-Session does before a request.
   * A failed cleanup fails the request as a failed read does (see `onStoreError`).
   */
  cleanupNRequests?: number | null | undefined;
  /** The clock, for tests. @default Date.now() / 1000 */
  now?: (() => number) | undefined;
}

/**
 * A server-side session: the same API as a cookie session, plus its id. `clear()` keeps
 * `_permanent`, and a session holding only `_permanent` counts as empty, as in Flask-Session.
 */
export class ServerSideSession<T extends SessionData = SessionData> extends Session<T> {
  /** The session id (what the cookie carries, unsigned). */
  sid: string;
  readonly #owner: ServerSideSessionInterface<T> | undefined;
  /** @param owner - the interface that opened it, for {@link regenerate} */
  constructor(
    data: SessionData,
    sid: string,
    isNew: boolean,
    owner?: ServerSideSessionInterface<T>,
  ) {
    super({ status: isNew ? 'missing' : 'valid', data });
    this.sid = sid;
    this.#owner = owner;
  }
  /**
   * Flask-Session's `session_interface.regenerate(session)`: a new id (after a login, against
   * session fixation); the old one is deleted from the store, and the response sends the new id.
   * @throws {@link TypeError} for a session not opened by a {@link ServerSideSessionInterface}
   * @throws {@link SessionStoreError} when the store fails
   * @example
   * ```ts
   * await (req.session as ServerSideSession).regenerate();
   * ```
   */
  async regenerate(): Promise<void> {
    if (this.#owner === undefined)
      throw new TypeError('this session was not opened by a ServerSideSessionInterface');
    await this.#owner.regenerate(this);
  }
  override clear(): void {
    const permanent = this.peek().data['_permanent'] ?? false;
    super.clear();
    this.set('_permanent' as keyof T & string, permanent as T[keyof T & string]);
  }
  /** Flask-Session's `__bool__`: any key but `_permanent`. */
  get empty(): boolean {
    const keys = Object.keys(this.peek().data);
    return keys.length === 0 || (keys.length === 1 && keys[0] === '_permanent');
  }
}

/** `secrets.token_urlsafe(n)`: n random bytes, base64url without padding. */
export function tokenUrlsafe(n: number): string {
  const b = new Uint8Array(n);
  globalThis.crypto.getRandomValues(b);
  return base64Encode(b);
}

/**
 * Flask-Session's server-side session handling (`RedisSessionInterface` and its base), for any
 * {@link SessionStore}. The adapters use it when their options carry a `store`.
 */
export class ServerSideSessionInterface<T extends SessionData = SessionData> {
  readonly options: ServerSideOptions;
  private readonly signer: Signer | undefined;

  /** @throws {@link TypeError} without a store, or with `useSigner` but no secret */
  constructor(options: ServerSideOptions) {
    if (!options?.store) throw new TypeError('"store" is required for server-side sessions');
    this.options = options;
    if (options.useSigner) {
      if (!options.secret) throw new TypeError('SECRET_KEY must be set when useSigner is true');
      this.signer = new Signer(options.secret, { salt: 'flask-session', keyDerivation: 'hmac' });
    }
  }

  private get prefix(): string {
    return this.options.keyPrefix ?? 'session:';
  }
  private newSession(): ServerSideSession<T> {
    const s = new ServerSideSession<T>(
      nullData(),
      tokenUrlsafe(this.options.sidLength ?? 32),
      true,
      this,
    );
    if (this.options.permanent ?? true) {
      s.peek().data['_permanent'] = true; // set before tracking starts, as Flask-Session
    }
    return s;
  }

  /**
   * Flask-Session's `open_session`: the id from the cookie (unsigned first with `useSigner`), the
   * data from the store; a new empty session for no cookie, a bad signature, or no stored data.
   * @throws {@link SessionStoreError} when the store fails and `onStoreError` is 'throw'
   */
  async open(
    cookieHeader: string | readonly string[] | null | undefined,
  ): Promise<ServerSideSession<T>> {
    await this.cleanup();
    let sid = getCookie(cookieHeader, this.options.cookieName ?? 'session');
    if (!sid) return this.newSession();
    if (this.signer) {
      try {
        sid = this.signer.unsign(sid);
      } catch (e) {
        if (e instanceof BadSignature) return this.newSession();
        throw e;
      }
    }
    let raw: Uint8Array | null;
    try {
      raw = await this.options.store.get(this.prefix + sid);
    } catch (e) {
      if ((this.options.onStoreError ?? 'throw') === 'empty') return this.newSession();
      throw e instanceof SessionStoreError ? e : new SessionStoreError(String(e), { cause: e });
    }
    // Flask-Session: `if serialized_session_data:` — an empty value is no session
    if (raw === null || raw.length === 0) return this.newSession();
    return new ServerSideSession<T>(this.decode(raw), sid, false, this);
  }

  /** Flask-Session's `_cleanup_n_requests`: `random.randint(0, N) == 0` -> delete expired sessions. */
  private async cleanup(): Promise<void> {
    const n = this.options.cleanupNRequests;
    const store = this.options.store;
    if (!n || !store.deleteExpired || Math.floor(Math.random() * (n + 1)) !== 0) return;
    try {
      await store.deleteExpired();
    } catch (e) {
      if ((this.options.onStoreError ?? 'throw') === 'empty') return;
      throw e instanceof SessionStoreError ? e : new SessionStoreError(String(e), { cause: e });
    }
  }

  /** Flask-Session's decoder: msgpack, then JSON (the other format), as it reads them. */
  decode(raw: Uint8Array): SessionData {
    const first = this.options.serializationFormat === 'json' ? decodeJson : decodeMsgpack;
    const second = first === decodeJson ? decodeMsgpack : decodeJson;
    for (const d of [first, second]) {
      try {
        return d(raw);
      } catch {
        // try the other format
      }
    }
    throw new MsgpackError('Failed to deserialize session data (neither MessagePack nor JSON)');
  }

  /** The bytes Flask-Session stores for this data. */
  encode(data: SessionData): Uint8Array {
    return this.options.serializationFormat === 'json' ? encodeJson(data) : msgpackEncode(data);
  }

  /**
   * Flask-Session's `save_session`: writes the store and decides the cookie. An emptied session is
   * deleted from the store with a deletion cookie; otherwise the store is written (with the TTL)
   * when modified or `refreshEachRequest`, and the cookie set when modified or permanent and
   * `refreshEachRequest`.
   * @throws {@link SessionStoreError} when the store fails
   */
  async save(session: ServerSideSession<T>): Promise<SaveResult> {
    const plan = this.plan(session);
    if (plan.write) await plan.write();
    return plan.result;
  }

  /**
   * {@link save} in two parts, for servers that must decide headers before the store answers: what
   * to send (decided now, synchronously) and the store write that has to finish before the
   * response does.
   * @throws {@link TypeError} for data that cannot be encoded
   */
  plan(session: ServerSideSession<T>): SavePlan {
    const o = this.options;
    const name = o.cookieName ?? 'session';
    const key = this.prefix + session.sid;
    const { data, accessed: vary, modified } = session.peek();
    if (session.empty) {
      if (!modified) return { result: { vary } };
      // Flask-Session deletes with only the name, domain and path
      const setCookie = dumpCookie(name, '', {
        domain: o.domain,
        path: o.path ?? '/',
        expires: 0,
        maxAge: 0,
      });
      return { result: { setCookie, vary: true }, write: () => storeOp(() => o.store.delete(key)) };
    }
    const refresh = o.refreshEachRequest ?? true;
    if (!(modified || refresh)) return { result: { vary } };
    const lifetime = o.permanentLifetime ?? DEFAULT_PERMANENT_LIFETIME;
    const bytes = this.encode(data);
    const write = () => storeOp(() => o.store.set(key, bytes, Math.trunc(lifetime)));
    const permanent = isPermanent(data);
    if (!(modified || (permanent && refresh))) return { result: { vary }, write };
    const now = o.now ? o.now() : Date.now() / 1000;
    const value = this.signer ? this.signer.sign(session.sid) : session.sid;
    const setCookie = dumpCookie(name, value, {
      domain: o.domain,
      path: o.path ?? '/',
      secure: o.secure ?? false,
      httpOnly: o.httpOnly ?? true,
      sameSite: o.sameSite,
      expires: permanent ? Math.floor(now + lifetime) : undefined,
    });
    return { result: { setCookie, vary: true }, write };
  }

  /**
   * Flask-Session's `regenerate`: a new id for the session (after a login, against session
   * fixation); the old one is deleted from the store, and the session is saved under the new id.
   */
  async regenerate(session: ServerSideSession<T>): Promise<void> {
    if (session.empty) return;
    await this.options.store.delete(this.prefix + session.sid);
    session.sid = tokenUrlsafe(this.options.sidLength ?? 32);
    session.modified = true;
  }
}

function nullData(): SessionData {
  return Object.setPrototypeOf({}, null) as SessionData;
}

function decodeMsgpack(raw: Uint8Array): SessionData {
  const v = msgpackDecode(raw);
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isBytes(v) || v instanceof Date)
    throw new MsgpackError('the stored session is not a map');
  return v as SessionData;
}

function decodeJson(raw: Uint8Array): SessionData {
  const v = pyLoads(utf8DecodeStrict(raw));
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('not an object');
  return v as SessionData;
}

/**
 * msgspec's JSON: compact, UTF-8, insertion order; bytes as base64, datetimes as RFC 3339 with
 * microseconds when they have a fraction, UUIDs as strings, NaN and infinities as null, other
 * floats in the shortest form (`1e-7`, `0.00001`: what msgspec and JavaScript both write).
 */
function encodeJson(data: SessionData): Uint8Array {
  const write = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'null';
      if (Number.isSafeInteger(v)) return String(v === 0 ? 0 : v);
      return Number.isInteger(v) ? BigInt(v).toString() : String(v);
    }
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'string') return pyStringLiteral(v, false);
    if (isBytes(v)) return '"' + b64encodeStandard(v) + '"';
    if (v instanceof Date) {
      const iso = v.toISOString(); // yyyy-mm-ddThh:mm:ss.mmmZ
      return (
        '"' + (iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso.slice(0, -1) + '000Z') + '"'
      );
    }
    if (v instanceof UUID) return '"' + String(v) + '"';
    if (Array.isArray(v)) return '[' + v.map(write).join(',') + ']';
    if (typeof v === 'object' && !(v instanceof Markup)) {
      const o = v as Record<string, unknown>;
      return (
        '{' +
        Object.keys(o)
          .map((k) => pyStringLiteral(k, false) + ':' + write(o[k]))
          .join(',') +
        '}'
      );
    }
    throw new MsgpackError(
      `Encoding objects of type ${(v as object)?.constructor?.name ?? typeof v} is unsupported`,
    );
  };
  return utf8(write(data));
}

/**
 * An in-memory session store for development and tests (Flask-Session has no equivalent: its
 * nearest is the filesystem backend).
 * @module
 */

import type { SessionStore } from './store.ts';

/**
 * An in-memory store: the zero-setup default for development and tests. One process only: use
 * Redis to share sessions with Flask or between processes.
 */
export class MemoryStore implements SessionStore {
  readonly #items = new Map<string, { value: Uint8Array; expires: number }>();
  readonly #now: () => number;
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }
  async get(key: string): Promise<Uint8Array | null> {
    const item = this.#items.get(key);
    if (!item) return null;
    if (item.expires <= this.#now()) {
      this.#items.delete(key);
      return null;
    }
    return item.value.slice();
  }
  async set(key: string, value: Uint8Array, ttlSeconds: number): Promise<void> {
    this.#items.set(key, { value: value.slice(), expires: this.#now() + ttlSeconds * 1000 });
  }
  async delete(key: string): Promise<void> {
    this.#items.delete(key);
  }
  /** How many sessions are stored (expired ones included until read). */
  get size(): number {
    return this.#items.size;
  }
}

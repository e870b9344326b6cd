/**
 * The runtime's own zlib inflater, where one is reachable synchronously without importing a
 * Node-only module: `process.getBuiltinModule('node:zlib')` on Node >= 20.16, Bun and Deno.
 * Elsewhere (browsers, Workers without Node compatibility) there is none and the portable
 * inflater (`inflate.ts`) does the work. Inflating is deterministic, so zlib's C code gives the
 * bytes the portable one does; `index.ts` decides when it is worth calling (streams past a few
 * hundred bytes, where its set-up cost pays) and when its answer may be used, and
 * `test/zlib/zlib.test.ts` holds the two to each other on random and damaged streams. Internal.
 * @module
 */

/** The part of `node:zlib` used here. */
interface NodeZlib {
  inflateSync(
    data: Uint8Array,
    options: { maxOutputLength?: number; chunkSize?: number },
  ): Uint8Array;
}

/** `undefined` until looked up, then the module or `null` when the runtime has none. */
let zlibModule: NodeZlib | null | undefined;

function lookup(): NodeZlib | null {
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
      .process;
    const m = proc?.getBuiltinModule?.('node:zlib') as Partial<NodeZlib> | undefined;
    return typeof m?.inflateSync === 'function' ? (m as NodeZlib) : null;
  } catch {
    return null;
  }
}

/** Whether the native inflater is there (looked up once). */
export function hasNativeInflate(): boolean {
  return (zlibModule ??= lookup()) !== null;
}

/** The largest `maxOutputLength` worth passing (Node's limit is about 2**32; past it, no cap). */
const MAX_OUTPUT_OPTION = 2 ** 31 - 1;

/**
 * zlib's inflate of a zlib stream (header, deflate data, Adler-32; bytes after the end ignored), in
 * C, with the output capped at `maxSize` bytes.
 * @returns the output, in an array of its own (its buffer holds nothing else); `undefined` when
 *   the runtime has no native zlib, or refused the stream or the size (the caller then asks the
 *   portable inflater, which gives zlib's exact error)
 */
export function nativeInflate(data: Uint8Array, maxSize: number): Uint8Array | undefined {
  const z = (zlibModule ??= lookup());
  if (z === null) return undefined;
  const cap = Math.floor(maxSize);
  if (!(cap >= 1)) return undefined;
  // One output chunk for a typical session (JSON compresses 2-4x), no bigger: every byte of it is
  // allocated on each call. Under 4 KiB Node takes it from its shared pool, and then the
  // result is copied out below, so that it owns its memory.
  const chunkSize = Math.min(65536, Math.max(256, Math.ceil((data.length * 4) / 256) * 256));
  let r: Uint8Array;
  try {
    r = z.inflateSync(
      data,
      cap <= MAX_OUTPUT_OPTION ? { maxOutputLength: cap, chunkSize } : { chunkSize },
    );
  } catch {
    return undefined;
  }
  // a runtime that ignores maxOutputLength still has its output refused here
  if (r.length > cap) return undefined;
  if (r.length === 0) return new Uint8Array(0);
  // Node returns a view on its own output chunk, or on a new buffer joining several: then a plain
  // Uint8Array over the same memory, so no Node buffer object leaves this module; anything else is copied
  const size = r.buffer.byteLength;
  if (r.byteOffset === 0 && (size === r.length || size === chunkSize))
    return new Uint8Array(r.buffer, 0, r.length);
  return new Uint8Array(r);
}

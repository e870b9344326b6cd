/**
 * The tables of the DEFLATE format (RFC 1951) and the Adler-32 of the zlib format (RFC 1950), shared
 * by the compressor and the inflater. Internal.
 * @module
 */

/** Extra bits of each length code (257..285). */
export const EXTRA_LBITS: Uint8Array = Uint8Array.of(
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
);

/** Extra bits of each distance code. */
export const EXTRA_DBITS: Uint8Array = Uint8Array.of(
  0,
  0,
  0,
  0,
  1,
  1,
  2,
  2,
  3,
  3,
  4,
  4,
  5,
  5,
  6,
  6,
  7,
  7,
  8,
  8,
  9,
  9,
  10,
  10,
  11,
  11,
  12,
  12,
  13,
  13,
);

/** The order in which code-length code lengths are sent. */
export const BL_ORDER: Uint8Array = Uint8Array.of(
  16,
  17,
  18,
  0,
  8,
  7,
  9,
  6,
  10,
  5,
  11,
  4,
  12,
  3,
  13,
  2,
  14,
  1,
  15,
);

/** The first length of each length code. */
export const LBASE: Uint16Array = Uint16Array.of(
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
);

/** The first distance of each distance code. */
export const DBASE: Uint16Array = Uint16Array.of(
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
);

/**
 * Adler-32 of the first `len` bytes of `buf`. The sums stay int32: 3,800 bytes between reductions
 * keep the second one below 2 ** 31 (zlib's NMAX, 5,552, is for unsigned 32-bit sums).
 */
export function adler32(buf: Uint8Array, len: number): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < len) {
    const end = len - i > 3800 ? i + 3800 : len;
    for (const end8 = end - 7; i < end8; i += 8) {
      a = (a + buf[i]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 1]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 2]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 3]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 4]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 5]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 6]!) | 0;
      b = (b + a) | 0;
      a = (a + buf[i + 7]!) | 0;
      b = (b + a) | 0;
    }
    for (; i < end; i++) {
      a = (a + buf[i]!) | 0;
      b = (b + a) | 0;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

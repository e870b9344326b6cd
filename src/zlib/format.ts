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
 * Adler-32 of the first `len` bytes of `buf`, eight bytes a step. The sums stay small integers:
 * 2,048 bytes between reductions keep the second one below 2 ** 30 (zlib's NMAX, 5,552, is for
 * unsigned 32-bit sums).
 */
export function adler32(buf: Uint8Array, len: number): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < len) {
    const end = len - i > 2048 ? i + 2048 : len;
    // eight bytes a step: b gains 8 a + 8 x0 + 7 x1 + ... + x7, a gains x0 + ... + x7
    for (const end8 = end - 7; i < end8; i += 8) {
      const x0 = buf[i]!;
      const x1 = buf[i + 1]!;
      const x2 = buf[i + 2]!;
      const x3 = buf[i + 3]!;
      const x4 = buf[i + 4]!;
      const x5 = buf[i + 5]!;
      const x6 = buf[i + 6]!;
      const x7 = buf[i + 7]!;
      b += (a << 3) + 8 * x0 + 7 * x1 + 6 * x2 + 5 * x3 + 4 * x4 + 3 * x5 + 2 * x6 + x7;
      a += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
    }
    for (; i < end; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

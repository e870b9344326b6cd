/** A seeded PRNG for the randomized suites, so that a failing run can be replayed. Test helper. */

/** The seed: `<NAME>_SEED` from the environment, or a new one. */
export function seedFrom(name: string): number {
  return Number(process.env[`${name}_SEED`] ?? Date.now() % 2 ** 31);
}

/** mulberry32 from `seed`: `rand()` in [0, 1), `int(n)` in [0, n), `pick(list)`. */
export function prng(seed: number): {
  rand: () => number;
  int: (n: number) => number;
  pick: <T>(xs: readonly T[]) => T;
} {
  let state = seed >>> 0;
  const rand = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(rand() * n);
  return { rand, int, pick: (xs) => xs[int(xs.length)]! };
}

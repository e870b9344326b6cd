/** The committed vectors made by real Python (scripts/make_vectors.py), parsed once per test file. */
import { readFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const vectors: any = JSON.parse(
  readFileSync(new URL('../fixtures/vectors.json', import.meta.url), 'utf8'),
);

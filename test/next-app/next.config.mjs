// The test app of test/adapters/next.test.ts: built with `next build`, served with `next start`.
import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
export default {
  // the library's sources (../../src) are part of the build
  turbopack: { root: fileURLToPath(new URL('../../', import.meta.url)) },
  // typechecked by `npm run typecheck` (tsconfig.json here), not again by every build
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  images: { unoptimized: true },
};

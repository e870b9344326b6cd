/**
 * The interop suite against real Flask 3.1 and 2.2 (test/interop/*.suite.ts). Where a Flask is
 * missing, its part is skipped with one line saying how to install it; under CI=true a missing Flask
 * is a failure (flaskOrSkip throws).
 */
import { flaskOrSkip } from './interop/_python.ts';

const reasons = (['3.1', '2.2'] as const).flatMap((v) => {
  const f = flaskOrSkip(v);
  return 'skip' in f ? [f.skip] : [];
});
// one line; the runner's reporter adds its own prefix
if (reasons.length > 0) console.log(`interop skipped: ${reasons.join('; ')}`);

await import('./interop/differential.suite.ts');
await import('./interop/two-servers.suite.ts');

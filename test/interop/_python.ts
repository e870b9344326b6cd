/**
 * Finds the real Flask installations the interop tests run against. Test helper.
 *
 * - Flask 3.1: `$FLASK31_PYTHON`, else `<repo>/.venv/bin/python` (made by scripts/setup-python.sh).
 * - Flask 2.2: `$FLASK22_PYTHON`, else `/usr/bin/python3` (Debian's python3-flask).
 *
 * Locally a missing Flask skips the interop tests; in CI (`CI=true`) it is a failure.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type FlaskVersion = '3.1' | '2.2';

/** A Python interpreter that imports the wanted Flask, and that Flask's exact version. */
export interface FlaskPython {
  python: string;
  version: string;
}

/** The repository root (this file is test/interop/_python.ts). */
export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url));

const DEFAULT_31 = '.venv/bin/python';
const DEFAULT_22 = '/usr/bin/python3';
const HOW_TO_INSTALL: Record<FlaskVersion, string> = {
  '3.1': 'run bash scripts/setup-python.sh',
  '2.2': 'apt-get install python3-flask',
};

/** The interpreter to try for a Flask version, as given (for messages) and as a path to run. */
function candidate(version: FlaskVersion): { shown: string; python: string } {
  if (version === '3.1') {
    const env = process.env['FLASK31_PYTHON'];
    return env
      ? { shown: env, python: env }
      : { shown: DEFAULT_31, python: REPO_ROOT + DEFAULT_31 };
  }
  const env = process.env['FLASK22_PYTHON'];
  return { shown: env || DEFAULT_22, python: env || DEFAULT_22 };
}

/** Flask's version as the interpreter reports it, or undefined when it cannot import Flask. */
function flaskVersionOf(python: string): string | undefined {
  const r = spawnSync(
    python,
    ['-c', "import flask, importlib.metadata as m; print(m.version('flask'))"],
    {
      encoding: 'utf8',
      timeout: 15000,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.error || r.status !== 0) return undefined;
  const v = r.stdout.trim();
  return v === '' ? undefined : v;
}

/** The Python with Flask `version` (3.1.x or 2.2.x), or undefined when there is none. */
export function findFlask(version: FlaskVersion): FlaskPython | undefined {
  const { python } = candidate(version);
  const found = flaskVersionOf(python);
  if (found === undefined || (found !== version && !found.startsWith(version + '.')))
    return undefined;
  return { python, version: found };
}

/**
 * The Python with Flask `version`, or why the tests that need it are skipped.
 * @throws {@link Error} when Flask is missing and `CI=true`: in CI a missing Flask is a failure.
 */
export function flaskOrSkip(version: FlaskVersion): FlaskPython | { skip: string } {
  const found = findFlask(version);
  if (found) return found;
  const { shown, python } = candidate(version);
  const other = flaskVersionOf(python);
  const what =
    other === undefined
      ? `Flask ${version} not found at ${shown}`
      : `${shown} has Flask ${other}, not ${version}`;
  const reason = `${what} (${HOW_TO_INSTALL[version]})`;
  if (process.env['CI'] === 'true')
    throw new Error(`CI=true and ${reason}: the interop tests cannot run`);
  return { skip: reason };
}

#!/usr/bin/env bash
# Packs the library as npm would publish it and installs it into an empty project, as a user would,
# from source and without any build of ours: `npm pack` in a fresh clone (the `prepare` script
# builds), and `npm install git+file://<clone>` (npm runs `prepare` in its own checkout). Each
# install is used from plain ESM JavaScript and from strict TypeScript.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ts_version=$(node -p "require('./package.json').devDependencies.typescript")
# what is committed, as a fresh clone has it: no dist/, no node_modules/
git clone -q . "$tmp/clone"
(cd "$tmp/clone" && npm ci --ignore-scripts --silent --no-audit --no-fund >/dev/null)
[ ! -e "$tmp/clone/dist" ] || { echo "a fresh clone already has dist/" >&2; exit 1; }
tarball=$(cd "$tmp/clone" && npm pack --silent --pack-destination "$tmp" | tail -n 1)
tar -tzf "$tmp/$tarball" >"$tmp/files"
echo "packed $tarball from a fresh clone without a build: $(wc -l <"$tmp/files") files"
if grep -E -v '^package/(dist/.*\.(js|d\.ts)|package\.json|README\.md|LICENSE|SECURITY\.md)$' "$tmp/files"; then
  echo "unexpected files in the package (above)" >&2
  exit 1
fi
grep -q '^package/dist/index.js$' "$tmp/files" || { echo "no dist/index.js in the package" >&2; exit 1; }

check_project() { # $1: a project folder with the package installed
cd "$1"
cat > use.mjs <<'JS'
import { dumpSession, loadSession, tuple } from 'flask-session-cookie';
const h = dumpSession({ a: 1, t: tuple(1, 2) }, { secret: 'package-check-secret-0123456789', now: 1700000000 });
const d = loadSession(h.split(';')[0], 'package-check-secret-0123456789', { now: 1700000000 });
if (d.a !== 1 || d.t.length !== 2) throw new Error('round trip failed');
console.log('ESM import: ok');
JS
node use.mjs
# the store subpaths import only types from their clients: they load without mysql2, pg or memjs
node -e "Promise.all(['mysql', 'postgres', 'memcached'].map((s) => import('flask-session-cookie/' + s))).then((m) => console.log('store subpaths without their clients:', m.map((x) => Object.keys(x).length).join(' '), 'exports: ok'))"
cat > use.ts <<'TS'
import { dumpSession, loadSession, type SessionData } from 'flask-session-cookie';
const data: SessionData = loadSession('session=x', 'package-check-secret-0123456789');
const header: string = dumpSession(data, { secret: 'package-check-secret-0123456789', sameSite: 'Lax' });
// @ts-expect-error secret is required
dumpSession(data, {});
console.log(header);
TS
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022", "noEmit": true, "types": [] }, "files": ["use.ts"] }
JSON
npx tsc -p tsconfig.json
echo "TypeScript consumer: ok"
key=$(npx --no-install flask-session-cookie genkey)
[[ "$key" =~ ^[0-9a-f]{64}$ ]] || { echo "the CLI printed: $key" >&2; exit 1; }
echo "CLI (npx flask-session-cookie genkey): ok"
}

mkdir "$tmp/from-tarball" && cd "$tmp/from-tarball" && npm init -y >/dev/null
npm install --silent --no-audit --no-fund "$tmp/$tarball" "typescript@$ts_version" >/dev/null
echo "-- installed from the tarball"
(check_project "$tmp/from-tarball")

mkdir "$tmp/from-git" && cd "$tmp/from-git" && npm init -y >/dev/null
npm install --silent --no-audit --no-fund "git+file://$tmp/clone" "typescript@$ts_version" >/dev/null
[ -f node_modules/flask-session-cookie/dist/index.js ] || { echo "the git install has no dist/" >&2; exit 1; }
echo "-- installed from a git URL (git+file://)"
(check_project "$tmp/from-git")

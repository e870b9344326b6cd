#!/usr/bin/env bash
# Packs the library as npm would publish it, installs the tarball into an empty project and uses it
# from plain ESM JavaScript and from strict TypeScript, as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist && npm run build >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(npm pack --silent --pack-destination "$tmp")
echo "packed $tarball: $(tar -tzf "$tmp/$tarball" | wc -l) files"
if tar -tzf "$tmp/$tarball" | grep -E -v '^package/(dist/.*\.(js|d\.ts)|package\.json|README\.md|LICENSE|SECURITY\.md)$'; then
  echo "unexpected files in the package (above)" >&2
  exit 1
fi
cd "$tmp"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "./$tarball" "typescript@$(node -p "require('$OLDPWD/package.json').devDependencies.typescript")" >/dev/null
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

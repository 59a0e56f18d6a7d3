#!/usr/bin/env bash
# Generates a TypeScript client from openapi/openapi.json with @hey-api/openapi-ts (pinned; the
# fetch client, zod schemas, an SDK validating every request and response with them), compiles
# it with scripts/generated_client_journey.ts under `tsc --strict`, then starts the server on a
# fresh SQLite database with the demo data and runs the journey through it: a whole workshop,
# every answer parsed by the generated zod schemas, and a webhook subscription whose deliveries
# are verified with the `standardwebhooks` library. Fails on a generator error, a compile error
# or an answer the schemas refuse.
#
#   scripts/generated-client-ts.sh                  # uses target/debug/cssd, builds nothing
#   CSSD_BIN=target/release/cssd GC_TS_DIR=/tmp/gcts scripts/generated-client-ts.sh
#
# Needs node and npm; installs the generator, zod, TypeScript and standardwebhooks into a
# throwaway directory (GC_TS_DIR, kept between runs when given).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CSSD_BIN:-target/debug/cssd}
tools=${GC_TS_DIR:-$(mktemp -d /tmp/cssd-gc-ts-tools.XXXXXX)}
mkdir -p "$tools" && tools=$(cd "$tools" && pwd)
[ -x "$bin" ] || { echo "no server binary at $bin (build it first: cargo build)" >&2; exit 1; }

if [ ! -x "$tools/node_modules/.bin/openapi-ts" ]; then
  (cd "$tools" && echo '{"private": true, "type": "module"}' >package.json \
    && npm install --silent --no-audit --no-fund --save-exact \
      @hey-api/openapi-ts@0.99.0 zod@4.6.7 typescript@5.9.3 standardwebhooks@1.3.0 \
      @types/node@20.19.9)
fi

root=$PWD
work=$(mktemp -d /tmp/cssd-gc-ts.XXXXXX)
. scripts/demo-server.sh

mkdir -p "$work/ts"
cp scripts/generated_client_journey.ts "$work/ts/journey.ts"
ln -s "$tools/node_modules" "$work/ts/node_modules"
echo '{"type": "module"}' >"$work/ts/package.json"
cat >"$work/ts/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "strict": true, "target": "ES2022",
    "module": "NodeNext", "moduleResolution": "NodeNext", "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "types": ["node"], "outDir": "out", "skipLibCheck": true
  },
  "include": ["journey.ts", "client/**/*.ts"]
}
JSON
echo "generating the TypeScript client from openapi/openapi.json"
GC_TS_INPUT="$root/openapi/openapi.json" GC_TS_OUTPUT="$work/ts/client" \
  GC_TS_TSCONFIG="$work/ts/tsconfig.json" \
  "$tools/node_modules/.bin/openapi-ts" --file scripts/generated-client-ts.config.mjs \
  >"$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; exit 1; }
if grep -qiE 'warn|error' "$work/generate.log"; then
  echo "the generator warned: the spec is not taken whole" >&2
  cat "$work/generate.log" >&2
  exit 1
fi

echo "compiling the generated client and the journey (tsc --strict)"
(cd "$work/ts" && ./node_modules/.bin/tsc -p .) || { echo "the generated client does not compile" >&2; exit 1; }

# Webhooks may go to the journey's receiver on this machine.
start_demo_server CSSD_WEBHOOK_ALLOW_HTTP=true CSSD_WEBHOOK_ALLOW_PRIVATE=true
node "$work/ts/out/journey.js" "$api" \
  || { echo "--- server log" >&2; tail -50 "$work/server.log" >&2; exit 1; }

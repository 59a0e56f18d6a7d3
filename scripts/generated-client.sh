#!/usr/bin/env bash
# Generates the Python client from openapi/openapi.json with openapi-python-client (pinned) and
# fails on any generator warning; then starts the server on a fresh SQLite database with the demo
# data and runs scripts/generated_client_journey.py through the generated client: a whole
# workshop, every answer parsed by the generated models, and one webhook subscription whose
# deliveries a receiver in the script verifies with the `standardwebhooks` library.
#
#   scripts/generated-client.sh                   # uses target/debug/cssd, builds nothing
#   CSSD_BIN=target/release/cssd GC_VENV=/tmp/gc scripts/generated-client.sh
#
# Needs python3 (with venv); installs the generator into a throwaway virtualenv (GC_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CSSD_BIN:-target/debug/cssd}
venv=${GC_VENV:-$(mktemp -d /tmp/cssd-gc-venv.XXXXXX)}
[ -x "$bin" ] || { echo "no server binary at $bin (build it first: cargo build)" >&2; exit 1; }

if [ ! -x "$venv/bin/openapi-python-client" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    'openapi-python-client==0.29.1' 'standardwebhooks==1.1.0'
fi

work=$(mktemp -d /tmp/cssd-gc.XXXXXX)
. scripts/demo-server.sh

echo "generating the Python client from openapi/openapi.json"
"$venv/bin/openapi-python-client" generate --path openapi/openapi.json --meta none \
  --config scripts/generated-client.yaml --output-path "$work/client/cssd_client" \
  >"$work/generate.log" 2>&1 || { cat "$work/generate.log" >&2; exit 1; }
if grep -qiE 'warning|error|unable|cannot|unsupported' "$work/generate.log"; then
  echo "the generator warned: the spec is not taken whole" >&2
  cat "$work/generate.log" >&2
  exit 1
fi

# Webhooks may go to the journey's receiver on this machine.
start_demo_server CSSD_WEBHOOK_ALLOW_HTTP=true CSSD_WEBHOOK_ALLOW_PRIVATE=true

"$venv/bin/python" scripts/generated_client_journey.py "$api" "$work/client" \
  || { echo "--- server log" >&2; tail -50 "$work/server.log" >&2; exit 1; }

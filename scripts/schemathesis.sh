#!/usr/bin/env bash
# Runs schemathesis (every check, its stateful phase included) against a server started here on
# a fresh SQLite database with the demo data, as an administrator. Exits non-zero on any failure.
#
#   scripts/schemathesis.sh                # uses target/debug/cssd, builds nothing
#   CSSD_BIN=target/release/cssd ST_MAX_EXAMPLES=50 scripts/schemathesis.sh
#
# Needs python3 (with venv); installs schemathesis into a throwaway virtualenv (ST_VENV).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CSSD_BIN:-target/debug/cssd}
venv=${ST_VENV:-$(mktemp -d /tmp/cssd-st-venv.XXXXXX)}
port=${ST_PORT:-18181}
seed=${ST_SEED:-20261130}
max_examples=${ST_MAX_EXAMPLES:-25}
[ -x "$bin" ] || { echo "no server binary at $bin (build it first: cargo build)" >&2; exit 1; }

if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi

work=$(mktemp -d /tmp/cssd-st.XXXXXX)
. scripts/demo-server.sh
start_demo_server

login=$(curl -s -X POST "$api/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"email": "admin@iwsd.demo", "password": "demo-admin-2026"}')
token=$(printf '%s' "$login" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "the admin could not log in: $login" >&2; exit 1; }

# Excluded, and only these: logging out and revoking an API key end the fuzzer's own
# credentials (every later request would be a 401).
"$venv/bin/st" --config-file scripts/schemathesis.toml run "$api/openapi.json" \
  --checks all \
  --phases examples,coverage,fuzzing,stateful \
  --seed "$seed" \
  --max-examples "$max_examples" \
  --workers 1 \
  --header "Authorization: Bearer $token" \
  --exclude-operation-id logout \
  --exclude-operation-id revoke_api_key \
  --request-timeout 30 \
  --no-color \
  "$@"

#!/usr/bin/env bash
# Load-tests GET /api/v1/workshops/{id} on the release binary with wrk, from outside the process
# (the in-process alternative is `cargo bench --bench http`).
#
#   scripts/bench-http.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cssd scripts/bench-http.sh
#
# Builds `cssd` in release mode (into $CARGO_TARGET_DIR, or target/), starts it with --demo on
# 127.0.0.1:18080 (a fresh SQLite file in a temporary directory unless DATABASE_URL is set; a
# PostgreSQL database is used as it is, and keeps the demo data and the one workshop this adds),
# logs in as the demo administrator, creates one workshop and runs
# `wrk -t1 -c16 -d10s --latency` against it. The server is stopped on exit.
# RUST_LOG defaults to `warn` here so that per-request logging does not dominate the figures.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIND="127.0.0.1:18080"
BASE="http://$BIND"
ADMIN_EMAIL="admin@iwsd.demo"
ADMIN_PASSWORD="demo-admin-2026"

if curl -s -o /dev/null --max-time 2 "$BASE/health"; then
    echo "something is already listening on $BIND; stop it first" >&2
    exit 1
fi

echo "== building the release binary (target dir: $TARGET_DIR)"
cargo build --release --bin cssd
BIN="$TARGET_DIR/release/cssd"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cssd-bench-http.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -n "${DATABASE_URL:-}" ]]; then
    DB_URL="$DATABASE_URL"
    DB_DESC="${DB_URL%%://*} database ${DB_URL##*/} (from DATABASE_URL)"
else
    DB_URL="sqlite://$WORK/bench.db?mode=rwc"
    DB_DESC="SQLite, fresh file $WORK/bench.db"
fi

echo "== starting $BIN --demo on $BIND"
DATABASE_URL="$DB_URL" CSSD_BIND="$BIND" CSSD_OUTBOX_DIR="$WORK/outbox" \
    RUST_LOG="${RUST_LOG:-warn}" "$BIN" --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

for i in $(seq 1 120); do
    if curl -sf -o /dev/null --max-time 2 "$BASE/health"; then
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "the server exited; its log:" >&2
        cat "$WORK/server.log" >&2
        exit 1
    fi
    if [[ $i -eq 120 ]]; then
        echo "the server did not answer /health within 60 s; its log:" >&2
        cat "$WORK/server.log" >&2
        exit 1
    fi
    sleep 0.5
done

LOGIN="$(curl -s -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$ADMIN_EMAIL\", \"password\": \"$ADMIN_PASSWORD\"}")"
TOKEN="$(printf '%s' "$LOGIN" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
if [[ -z "$TOKEN" ]]; then
    echo "login as $ADMIN_EMAIL failed: $LOGIN" >&2
    exit 1
fi

# The Monday at least a week from today.
START="$(date -u -d '+7 days' +%F)"
while [[ "$(date -u -d "$START" +%u)" != 1 ]]; do
    START="$(date -u -d "$START +1 day" +%F)"
done
WORKSHOP="$(curl -s -X POST "$BASE/api/v1/workshops" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"course_id\": 1, \"level\": \"tot\", \"start_date\": \"$START\", \"venue\": \"Bench\"}")"
ID="$(printf '%s' "$WORKSHOP" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2 || true)"
if [[ -z "$ID" ]]; then
    echo "creating the workshop failed: $WORKSHOP" >&2
    exit 1
fi
URL="$BASE/api/v1/workshops/$ID"
STATUS="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL")"
if [[ "$STATUS" != 200 ]]; then
    echo "GET $URL answered $STATUS, not 200" >&2
    exit 1
fi

echo "== machine: $(nproc) cores; database: $DB_DESC; workshop $ID starts $START"
if ! command -v wrk >/dev/null; then
    echo "wrk is not installed: apt-get install wrk (then run this script again)" >&2
    exit 1
fi
echo "== wrk -t1 -c16 -d10s --latency GET $URL"
wrk -t1 -c16 -d10s --latency -H "Authorization: Bearer $TOKEN" "$URL"

#!/usr/bin/env bash
# Sends 400 MB request bodies without credentials to a running server and reports how much its
# peak memory rose: the body limit must hold them off without reading them (target: < 16 MiB).
#
#   scripts/hostile-body-memory.sh                 # builds and starts the release binary
#   CSSD_BIN=target/debug/cssd scripts/hostile-body-memory.sh   # an already built binary
#
# Three requests, each 400 MB: to POST /api/v1/organisations with an Idempotency-Key and a
# Content-Length, the same streamed (chunked, no length), and a streamed login (public). The
# server's peak resident memory (VmHWM) is reset before them (/proc/PID/clear_refs) and read
# after; the script fails if it rose by 16 MiB or more.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIND="127.0.0.1:18081"
BASE="http://$BIND"
LIMIT_KIB=$((16 * 1024))

if [[ -z "${CSSD_BIN:-}" ]]; then
    echo "== building the release binary"
    cargo build --release --bin cssd
    CSSD_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/cssd"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cssd-hostile.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

DATABASE_URL="sqlite://$WORK/hostile.db?mode=rwc" CSSD_BIND="$BIND" \
    CSSD_OUTBOX_DIR="$WORK/outbox" RUST_LOG=warn "$CSSD_BIN" --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
    curl -sf -o /dev/null --max-time 2 "$BASE/health" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    [[ $i -eq 120 ]] && { echo "the server did not start" >&2; exit 1; }
    sleep 0.5
done

kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SERVER_PID/status"; }
echo 5 >"/proc/$SERVER_PID/clear_refs"
BEFORE="$(kib VmRSS)"
echo "== server pid $SERVER_PID, resident before: $((BEFORE / 1024)) MiB"

send() {
    local what="$1"; shift
    local status
    status="$(head -c 400000000 /dev/zero | curl -s -o "$WORK/body" -w '%{http_code}' \
        --max-time 120 "$@" || true)"
    echo "   $what -> HTTP $status $(head -c 200 "$WORK/body" 2>/dev/null || true)"
}
send "400 MB, Content-Length, Idempotency-Key, no token" \
    -X POST "$BASE/api/v1/organisations" -H 'Content-Type: application/json' \
    -H 'Idempotency-Key: hostile-1' --data-binary @-
send "400 MB, chunked, Idempotency-Key, no token" \
    -X POST "$BASE/api/v1/organisations" -H 'Content-Type: application/json' \
    -H 'Idempotency-Key: hostile-2' -H 'Transfer-Encoding: chunked' --data-binary @-
send "400 MB, chunked, public login" \
    -X POST "$BASE/api/v1/auth/login" -H 'Content-Type: application/json' \
    -H 'Transfer-Encoding: chunked' --data-binary @-

PEAK="$(kib VmHWM)"
RISE=$((PEAK - BEFORE))
echo "== peak resident during the requests: $((PEAK / 1024)) MiB; rise: $((RISE / 1024)) MiB ($RISE KiB; limit $((LIMIT_KIB / 1024)) MiB)"
if (( RISE >= LIMIT_KIB )); then
    echo "FAIL: memory rose by 16 MiB or more" >&2
    exit 1
fi
echo "OK"

#!/usr/bin/env bash
# The hostile-client script: hostile clients against a running release build with the demo data,
# measuring the server's memory and open connections, and failing when a bound is broken.
#
#   scripts/hostile-body-memory.sh                 # builds and starts the release binary
#   CSSD_BIN=target/debug/cssd scripts/hostile-body-memory.sh   # an already built binary
#
# 1. Bodies: three 400 MB request bodies without credentials (Content-Length + Idempotency-Key,
#    chunked, a public login). Peak resident memory (VmHWM, reset through /proc/PID/clear_refs)
#    must rise by less than 16 MiB: the body limit holds them off without reading them.
# 2. Sign-in forms (review 2, finding 1): 600 posts with a valid CSRF pair and a 900 KB email,
#    spread over the three sign-in pages, from 30 loopback addresses. Every one must be refused
#    (422), and resident memory afterwards must be within 48 MiB of before (31 MiB measured in session 6, 34 MiB once the pages
#    load their Fluent bundles in three languages on first use: a one-time cost, not growth).
# 3. Password hashing (finding 4): 80 simultaneous wrong-password logins from 4 addresses
#    (within the throttle). Peak memory may rise by at most 160 MiB (one 19 MiB working memory
#    per core, plus the requests), and resident memory must come back to within 64 MiB of before.
# 4. Connections (finding 2): the server runs under `ulimit -n 256` with its default connection
#    cap, and 400 connections are opened and left silent (and half an HTTP/2 preface on some).
#    /health must still answer while they are held, the server must hold no more than 256 open
#    files, and after CSSD_IDLE_SECONDS (3 here) and a margin every one of them is closed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIND="127.0.0.1:18081"
BASE="http://$BIND"

if [[ -z "${CSSD_BIN:-}" ]]; then
    echo "== building the release binary"
    cargo build --release --bin cssd
    CSSD_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/cssd"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cssd-hostile.XXXXXX")"
SERVER_PID=""
FAILED=0
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# The server, under an open-file limit of 256 as in the review; its connection cap is the
# default (the limit less 64). Idle connections are closed after 3 s.
(
    ulimit -n 256
    exec env DATABASE_URL="sqlite://$WORK/hostile.db?mode=rwc" CSSD_BIND="$BIND" \
        CSSD_OUTBOX_DIR="$WORK/outbox" CSSD_IDLE_SECONDS=3 RUST_LOG=warn \
        "$CSSD_BIN" --demo
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 240); do
    curl -sf -o /dev/null --max-time 2 "$BASE/health" && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    [[ $i -eq 240 ]] && { echo "the server did not start" >&2; exit 1; }
    sleep 0.5
done

kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$SERVER_PID/status"; }
mib() { echo "$(( $1 / 1024 )) MiB"; }
open_files() { ls "/proc/$SERVER_PID/fd" | wc -l; }
fail() { echo "FAIL: $*" >&2; FAILED=1; }
echo "== server pid $SERVER_PID, resident $(mib "$(kib VmRSS)"), open files $(open_files)"

echo "== 1. three 400 MB bodies"
echo 5 >"/proc/$SERVER_PID/clear_refs"
BEFORE="$(kib VmRSS)"
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
echo "   peak rise $(mib "$RISE") ($RISE KiB; bound 16 MiB)"
(( RISE < 16 * 1024 )) || fail "bodies: peak memory rose by $(mib "$RISE")"

echo "== 2. 600 sign-in posts with a 900 KB email from 30 addresses"
BEFORE="$(kib VmRSS)"
python3 - "$BIND" <<'PY' || fail "sign-in forms: a huge email was not refused"
import http.client, re, sys, threading
host, port = sys.argv[1].split(":")
email = "a" * 900_000 + "@example.org"
pages = [("/portal", "/portal/sign-in"), ("/register", "/register/sign-in"),
         ("/admin/sign-in", "/admin/sign-in")]
statuses, lock = [], threading.Lock()

def client(n):
    source = (f"127.0.0.{n + 2}", 0)
    for i in range(20):
        page, form = pages[(n + i) % 3]
        conn = http.client.HTTPConnection(host, int(port), timeout=60, source_address=source)
        conn.request("GET", page, headers={"Accept": "text/html"})
        resp = conn.getresponse()
        body = resp.read().decode()
        cookie = [v for k, v in resp.getheaders() if k.lower() == "set-cookie" and "cssd_csrf=" in v]
        token = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
        fields = f"csrf={token}&email={email}&password=whatever-it-is"
        conn.request("POST", form, body=fields, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie[0].split(";")[0] if cookie else f"cssd_csrf={token}"})
        status = conn.getresponse().status
        conn.close()
        with lock:
            statuses.append(status)

threads = [threading.Thread(target=client, args=(n,)) for n in range(30)]
for t in threads: t.start()
for t in threads: t.join()
counts = {s: statuses.count(s) for s in set(statuses)}
print(f"   {len(statuses)} posts -> {counts}")
sys.exit(0 if statuses and all(s == 422 for s in statuses) else 1)
PY
sleep 2
AFTER="$(kib VmRSS)"
echo "   resident $(mib "$BEFORE") before, $(mib "$AFTER") after (bound: +48 MiB)"
(( AFTER - BEFORE < 48 * 1024 )) || fail "sign-in forms: memory rose by $(mib $((AFTER - BEFORE)))"

echo "== 3. 80 simultaneous wrong-password logins from 4 addresses"
echo 5 >"/proc/$SERVER_PID/clear_refs"
BEFORE="$(kib VmRSS)"
python3 - "$BIND" <<'PY'
import http.client, json, sys, threading
host, port = sys.argv[1].split(":")
statuses, lock = [], threading.Lock()
barrier = threading.Barrier(80)

def guess(n):
    conn = http.client.HTTPConnection(host, int(port), timeout=120,
                                      source_address=(f"127.0.1.{n % 4 + 2}", 0))
    body = json.dumps({"email": f"guess{n}@example.org", "password": "wrong-password-1"})
    barrier.wait()
    conn.request("POST", "/api/v1/auth/login", body=body,
                 headers={"Content-Type": "application/json"})
    status = conn.getresponse().status
    with lock:
        statuses.append(status)

threads = [threading.Thread(target=guess, args=(n,)) for n in range(80)]
for t in threads: t.start()
for t in threads: t.join()
print(f"   80 logins -> { {s: statuses.count(s) for s in set(statuses)} }")
PY
PEAK="$(kib VmHWM)"
sleep 3
AFTER="$(kib VmRSS)"
echo "   resident $(mib "$BEFORE") before, peak $(mib "$PEAK") (bound: +160 MiB), $(mib "$AFTER") after (bound: +64 MiB)"
(( PEAK - BEFORE < 160 * 1024 )) || fail "hashing: peak memory rose by $(mib $((PEAK - BEFORE)))"
(( AFTER - BEFORE < 64 * 1024 )) || fail "hashing: memory did not come back ($(mib $((AFTER - BEFORE))) more)"

echo "== 4. 400 idle connections against ulimit -n 256"
python3 - "$BIND" "$BASE" "$SERVER_PID" <<'PY' || fail "connections: a bound was broken (see above)"
import os, socket, subprocess, sys, time
host, port = sys.argv[1].split(":")
base, pid = sys.argv[2], sys.argv[3]
open_files = lambda: len(os.listdir(f"/proc/{pid}/fd"))
before = open_files()
held = []
for n in range(400):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect((host, int(port)))
    except BlockingIOError:
        pass
    held.append(s)
time.sleep(0.5)
for s in held[::4]:
    try:
        s.send(b"PRI * HTTP/2.0\r\n")
    except OSError:
        pass
health = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                         base + "/health"], capture_output=True, text=True).stdout
during = open_files()
# Past the idle timeout (3 s) and a margin, with every client socket still open on this side.
time.sleep(6)
after = open_files()
print(f"   /health with 400 connections held open: HTTP {health}")
print(f"   server's open files: {before} before, {during} while held (bound: 256), "
      f"{after} after the idle timeout (bound: {before + 8})")
ok = health == "200" and during <= 256 and after <= before + 8
for s in held:
    s.close()
sys.exit(0 if ok else 1)
PY
if grep -q "Too many open files" "$WORK/server.log"; then
    echo "   (the server met its file limit and made room $(grep -c 'Too many open files' "$WORK/server.log") times)"
fi

if (( FAILED )); then
    echo "FAIL" >&2
    exit 1
fi
echo "OK"

# Sourced by the scripts that run a client against the server: starts it ($bin) on the loopback
# (port $port, else a free one) with a fresh SQLite database and the demo data in "$work" (which
# the caller made), with any further settings given as arguments (`NAME=value`), and waits for
# /health. Sets `api` (its base URL) and `server` (its process id). Sourcing it arranges for the
# server to be stopped and "$work" removed when the calling script exits, however it exits.
#
#   work=$(mktemp -d /tmp/cssd-x.XXXXXX); bin=target/debug/cssd
#   . scripts/demo-server.sh
#   ...; start_demo_server CSSD_WEBHOOK_ALLOW_HTTP=true
server=""
trap '[ -n "$server" ] && { kill $server 2>/dev/null; wait $server 2>/dev/null; }; rm -rf "$work"' EXIT

start_demo_server() {
  # Else a free port: bind port 0, read it back, let it go.
  [ -n "${port:-}" ] \
    || port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  api="http://127.0.0.1:$port"
  DATABASE_URL="sqlite://$work/cssd.db?mode=rwc" CSSD_BIND="127.0.0.1:$port" \
    CSSD_PUBLIC_URL="$api" CSSD_OUTBOX_DIR="$work/outbox" RUST_LOG=warn \
    env "$@" "$bin" --demo >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do
    curl -sf "$api/health" >/dev/null 2>&1 && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
  done
  curl -sf "$api/health" >/dev/null || { echo "the server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
}

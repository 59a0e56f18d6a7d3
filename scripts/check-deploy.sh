#!/usr/bin/env bash
# Checks deploy/: every variable config.rs reads is in the environment template, the systemd
# units pass `systemd-analyze verify`, and the nginx site passes `nginx -t`. Run from the
# repository root after a build (the units are verified against target/debug/cssd).
set -euo pipefail

echo "-- every configuration variable is in deploy/cssd.env.example"
missing=0
for name in $(grep -o '"\(CSSD_[A-Z_]*\|DATABASE_URL\)"' src/config.rs | tr -d '"' | sort -u); do
  if ! grep -q "^#\?$name=" deploy/cssd.env.example; then
    echo "missing from deploy/cssd.env.example: $name" >&2
    missing=1
  fi
done
[ "$missing" = 0 ]

work=$(mktemp -d /tmp/cssd-deploy.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "-- systemd-analyze verify"
binary="$PWD/target/debug/cssd"
[ -x "$binary" ] || { echo "build first: $binary is missing" >&2; exit 1; }
for unit in cssd.service cssd-backup.service cssd-backup.timer; do
  sed "s#/usr/local/bin/cssd#$binary#g" "deploy/$unit" >"$work/$unit"
done
# The user and the environment file exist only on a server; the unit's syntax and options are checked.
# Warnings (an unknown option, a bad value) fail the check too: systemd-analyze exits 0 on them.
systemd-analyze verify --man=no "$work/cssd.service" "$work/cssd-backup.service" "$work/cssd-backup.timer" \
  >"$work/verify.raw" 2>&1 || true
{ grep -v -e "Failed to resolve user" -e "cssd.env" "$work/verify.raw" || true; } | tee "$work/verify.log"
if [ -s "$work/verify.log" ]; then
  echo "systemd-analyze verify found problems" >&2
  exit 1
fi

echo "-- nginx -t"
if ! command -v nginx >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq nginx >/dev/null
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=training.iwsd.example" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/training.iwsd.example#$work#g" \
    -e "s#/var/log/nginx/#$work/#g" deploy/nginx/cssd.conf >"$work/cssd.conf"
cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    access_log $work/access.log;
    client_body_temp_path $work/tmp;
    include $work/cssd.conf;
}
CONF
nginx -t -q -c "$work/nginx.conf" -p "$work"
echo "deploy/ checked"

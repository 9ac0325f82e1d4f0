#!/usr/bin/env bash
# Installs everything the shop needs to build, run and test on a fresh machine of this kind.
# Idempotent: each step checks first and does nothing when its tool is already there.
# usage: scripts/bootstrap.sh [--tools-only]   (build tools only: no browser, no local services)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen` pin in Cargo.toml

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

tools_only=false
[ "${1:-}" = "--tools-only" ] && tools_only=true

need_apt=()
command -v brotli >/dev/null || need_apt+=(brotli)
# Tax documents' PDFs embed DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need_apt+=(fonts-dejavu-core)
if ! $tools_only; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v wrk >/dev/null || need_apt+=(wrk)
  command -v psql >/dev/null || need_apt+=(postgresql-client)
  # The tests read tax documents back with pdftotext.
  command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  if ! cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked 2>/dev/null; then
    # The published lock file pins a webpki-roots the registry lacks: build from the crate's
    # source (downloaded by the attempt above) with that one dependency moved to one that exists.
    src=$(mktemp -d)
    crate=$(ls ~/.cargo/registry/cache/*/wasm-bindgen-cli-$WASM_BINDGEN_VERSION.crate | head -n1)
    tar -xzf "$crate" -C "$src"
    (cd "$src/wasm-bindgen-cli-$WASM_BINDGEN_VERSION" \
      && cargo update -q -p webpki-roots --precise 1.0.10 \
      && cargo install -q --path . --locked)
    rm -rf "$src"
  fi
fi

# npm packages (end2end/package-lock.json): binaryen's working wasm-opt, GraphiQL and what it runs
# on, playwright-core and the graphql-http audit for the tests. Installed again whenever the lock
# file changed since the last install.
if ! cmp -s end2end/package-lock.json end2end/node_modules/.installed-lock.json; then
  log "installing npm packages in end2end/"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error \
    && cp package-lock.json node_modules/.installed-lock.json)
fi

$tools_only && exit 0

# PostgreSQL and Redis run as services on this kind of machine; start them if they stopped.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

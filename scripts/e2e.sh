#!/usr/bin/env bash
# Starts the built shop on a fresh database and runs the browser tests in end2end/ against it.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${E2E_PORT:-3100}
db="shop_e2e_$$"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export LISTEN_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=${RUST_LOG:-warn}
binary=${SHOP_BINARY:-target/debug/server}

# An SMTP sink that keeps the shop's e-mails for the tests to read.
smtp_port=$((port + 25))
export SMTP_URL="smtp://127.0.0.1:$smtp_port" MAIL_LOG="$PWD/target/e2e-mails.jsonl"
# The first admin, created at start-up; the tests act as shop staff with it.
export ADMIN_EMAIL=${ADMIN_EMAIL:-spravce@lipa.example.cz} ADMIN_PASSWORD=${ADMIN_PASSWORD:-"Správce obchodu 2026"}
SMTP_PORT=$smtp_port node end2end/smtp-sink.mjs &
sink=$!
# Fake PayU and Fio banka: the shop pays and matches transfers against them.
providers_port=$((port + 100))
export PROVIDERS_PORT=$providers_port PAYU_BASE_URL="http://127.0.0.1:$providers_port" \
  PAYU_CLIENT_SECRET=e2e-secret PAYU_SECOND_KEY=e2e-second-key \
  FIO_API_URL="http://127.0.0.1:$providers_port" FIO_TOKEN=e2etoken FIO_MIN_INTERVAL_SECS=1 JOBS_INTERVAL_SECS=1
node end2end/fake-providers.mjs &
providers=$!

"$binary" > target/e2e-server.log 2>&1 &
server=$!
cleanup() {
  kill "$server" "$sink" "$providers" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" postgres >/dev/null 2>&1 || true
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat target/e2e-server.log; exit 1; }
  sleep 0.5
done

(cd end2end && SHOP_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 ${E2E_TESTS:-tests/})

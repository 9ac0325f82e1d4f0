#!/usr/bin/env bash
# Benchmark: 10,000 products, release build, wrk on loopback with 16 connections.
# Prints requests/s and latency of the product listing query and of the category page HTML
# (rendered, and from the anonymous page cache),
# checkout latency when 50 buyers race for 10 units, the server's peak memory, and the size of the
# release WASM bundle.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_SECONDS:-20}
port=${BENCH_PORT:-3200}
db=shop_bench
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export LISTEN_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=warn SEED_DEMO_DATA=false
# The checkout benchmark's buyers each come from an address of their own, as one proxy reports it.
export TRUSTED_PROXY_HOPS=1
export ADMIN_EMAIL=spravce@lipa.example.cz ADMIN_PASSWORD="Správce obchodu 2026"

scripts/bootstrap.sh
scripts/build.sh release

psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" postgres
# The shop's Redis keys of the dropped database go too: an earlier run's guest-order counters
# would refuse this run's checkouts for an hour.
redis-cli --scan --pattern "shop:$db:*" | xargs -r redis-cli del >/dev/null
echo "==> seeding 10,000 products"
time target/release/server seed --products 10000

target/release/server > target/bench-server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:$port/ready" >/dev/null; do sleep 0.2; done

run() { # name, wrk arguments…
  local name=$1; shift
  wrk -t1 -c16 -d3s "$@" >/dev/null # warm-up: connections, caches, prepared statements
  echo "==> $name"
  wrk -t1 -c16 -d"${duration}s" --latency "$@" | grep -E "Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors"
}

# The ceiling of this stack on this machine today: the same bytes served as static files by the
# same server (under /pkg), measured in the same run.
listing_body=$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' bench/listing.lua)
curl -fs "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -d "$listing_body" \
  > target/site/pkg/bench-listing.json
curl -fs -H "Cache-Control: no-store" "http://127.0.0.1:$port/c/elektro" > target/site/pkg/bench-category.html
trap 'kill $server 2>/dev/null || true; rm -f target/site/pkg/bench-*' EXIT

run "product listing query (POST /graphql, 24 products with variants, images, brand)" \
  -s bench/listing.lua "http://127.0.0.1:$port/graphql"
run "ceiling: the same $(stat -c %s target/site/pkg/bench-listing.json) bytes as a static file" \
  "http://127.0.0.1:$port/pkg/bench-listing.json"
run "category page HTML (GET /c/elektro, server-side rendered, page cache bypassed)" \
  -H "Cache-Control: no-store" "http://127.0.0.1:$port/c/elektro"
run "category page HTML for anonymous visitors (GET /c/elektro, from the page cache)" \
  "http://127.0.0.1:$port/c/elektro"
run "ceiling: the same $(stat -c %s target/site/pkg/bench-category.html) bytes as a static file" \
  "http://127.0.0.1:$port/pkg/bench-category.html"

echo "==> checkout: 50 concurrent buyers for the last 10 units, 5 rounds"
SHOP_URL="http://127.0.0.1:$port" node bench/checkout.mjs 5

echo "==> server memory"
grep -E "VmHWM|VmRSS" "/proc/$server/status"

echo "==> release WASM bundle"
for f in target/site/pkg/shop.*.wasm target/site/pkg/shop.*.js; do
  printf '%-32s raw %7d B   gzip %7d B   brotli %7d B\n' "$(basename "$f")" \
    "$(stat -c %s "$f")" "$(stat -c %s "$f.gz")" "$(stat -c %s "$f.br")"
done

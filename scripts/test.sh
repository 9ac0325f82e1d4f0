#!/usr/bin/env bash
# Runs every test: formatting, unit and integration tests (real PostgreSQL and Redis), then the
# end-to-end tests in headless Chromium against a freshly built and started shop.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh

export DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
# A clean build (CI) gains nothing from incremental files, which would take gigabytes of disk.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

echo "==> cargo fmt --check"
cargo fmt --all -- --check

echo "==> unit and integration tests"
# One test at a time: each test has its own database and runtime, and sharing the two cores
# between several SSR renders made timing-dependent tests slow enough to time out.
cargo test -p server -p storefront --features storefront/ssr -- --test-threads=1

echo "==> end-to-end tests in Chromium"
scripts/build.sh debug
scripts/e2e.sh

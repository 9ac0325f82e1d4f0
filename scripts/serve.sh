#!/usr/bin/env bash
# Installs what is missing, builds the release shop and serves it on http://127.0.0.1:3000
# (storefront, /graphql, /graphiql) with the demo catalog in a database it creates.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh
scripts/build.sh release
exec target/release/server serve

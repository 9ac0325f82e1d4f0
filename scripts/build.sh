#!/usr/bin/env bash
# Builds the shop: the storefront's WASM bundle into target/site/pkg, then the server binary.
# usage: scripts/build.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-debug}
site=target/site/pkg
mkdir -p "$site"

case "$profile" in
  release) wasm_profile=wasm-release; server_flags=(--release) ;;
  debug) wasm_profile=dev; server_flags=() ;;
  *) echo "usage: $0 [debug|release]" >&2; exit 2 ;;
esac

echo "==> storefront (wasm32, $wasm_profile)"
cargo build -p storefront --lib --target wasm32-unknown-unknown --no-default-features --features hydrate \
  --profile "$wasm_profile"
wasm_dir=$([ "$wasm_profile" = dev ] && echo debug || echo "$wasm_profile")
wasm-bindgen --target web --no-typescript --out-dir "$site" --out-name shop \
  "target/wasm32-unknown-unknown/$wasm_dir/storefront.wasm"

if [ "$profile" = release ]; then
  echo "==> wasm-opt -Oz (binaryen from npm)"
  end2end/node_modules/.bin/wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals "$site/shop_bg.wasm" -o "$site/shop_bg.wasm"
fi

cp style/main.css "$site/shop.css"

# Content-hashed names: pages link them (hash.txt tells the server), browsers keep them a year.
rm -f "$site"/shop.*.js "$site"/shop.*.wasm "$site"/shop.*.css
hash() { sha256sum "$1" | cut -c1-16; }
js=$(hash "$site/shop.js"); wasm=$(hash "$site/shop_bg.wasm"); css=$(hash "$site/shop.css")
mv "$site/shop.js" "$site/shop.$js.js"
mv "$site/shop_bg.wasm" "$site/shop.$wasm.wasm"
mv "$site/shop.css" "$site/shop.$css.css"
printf 'js: %s\nwasm: %s\ncss: %s\n' "$js" "$wasm" "$css" > target/site/hash.txt

# GraphiQL and what it runs on, from the npm packages pinned in end2end/package.json: the admins'
# console works on a closed network and under the shop's Content-Security-Policy.
graphiql=target/site/graphiql
mkdir -p "$graphiql"
modules=end2end/node_modules
cp "$modules/react/umd/react.production.min.js" "$modules/react-dom/umd/react-dom.production.min.js" \
  "$modules/graphql-ws/umd/graphql-ws.min.js" "$modules/graphiql/graphiql.min.js" \
  "$modules/graphiql/graphiql.min.css" "$graphiql/"

rm -f "$site"/*.br "$site"/*.gz "$graphiql"/*.br "$graphiql"/*.gz
if [ "$profile" = release ]; then
  # Precompressed copies, served by the server when the browser accepts them.
  for file in "$site/shop.$wasm.wasm" "$site/shop.$js.js" "$site/shop.$css.css" "$graphiql"/*.js "$graphiql"/*.css; do
    gzip -kf9 "$file"
    brotli -kf -q 11 "$file"
  done
fi

echo "==> server (${profile})"
cargo build -p server --bin server "${server_flags[@]}"

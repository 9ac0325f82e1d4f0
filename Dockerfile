# Multi-stage build: the storefront's WASM and the server in a Rust image, a slim runtime image.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm brotli && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown
WORKDIR /src
COPY . .
# wasm-bindgen-cli (pinned to the crate's version) and binaryen's wasm-opt from npm.
RUN scripts/bootstrap.sh --tools-only
RUN scripts/build.sh release

FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates fonts-dejavu-core && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /app shop
WORKDIR /app
COPY --from=build /src/target/release/server /app/server
COPY --from=build /src/target/site /app/site
ENV APP_ENV=production \
    LISTEN_ADDR=0.0.0.0:3000 \
    LEPTOS_SITE_ROOT=/app/site \
    SEED_DEMO_DATA=false
USER shop
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=2s CMD ["/app/server", "healthcheck"]
ENTRYPOINT ["/app/server"]
CMD ["serve"]

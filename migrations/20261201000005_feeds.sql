-- Marketplace feeds (Heureka, Zboží.cz), built by a job and served from here.
CREATE TABLE feeds (
    name            text PRIMARY KEY,
    catalog_version bigint NOT NULL,
    etag            text NOT NULL,
    body            bytea NOT NULL,
    built_at        timestamptz NOT NULL DEFAULT now()
);

-- Sales figures read orders by the day they were placed.
CREATE INDEX orders_created_idx ON orders (created_at);
CREATE INDEX carts_created_idx ON carts (created_at);

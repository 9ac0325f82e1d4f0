-- Marketplace feeds (Heureka, Zboží.cz), built by a job and served from here.
CREATE TABLE feeds (
    name            text PRIMARY KEY,
    catalog_version bigint NOT NULL,
    etag            text NOT NULL,
    body            bytea NOT NULL,
    built_at        timestamptz NOT NULL DEFAULT now()
);

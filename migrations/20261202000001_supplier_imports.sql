-- Supplier feeds: who supplies what and how their files map onto the catalog, which catalog
-- variant each supplier code became, and the import jobs with their per-row errors.

CREATE TABLE suppliers (
    id                bigserial PRIMARY KEY,
    name              text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    mapping           jsonb NOT NULL,
    feed_url          text CHECK (feed_url ~ '^https?://'),
    fetch_every_hours integer CHECK (fetch_every_hours BETWEEN 1 AND 720),
    next_fetch_at     timestamptz,
    -- The admin in whose name scheduled imports change the catalog.
    created_by        bigint REFERENCES customers (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppliers_due_idx ON suppliers (next_fetch_at) WHERE feed_url IS NOT NULL;

-- The catalog variant a supplier's code became and a digest of what the import wrote last.
CREATE TABLE supplier_items (
    supplier_id bigint NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
    code        text NOT NULL,
    product_id  bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    variant_id  bigint NOT NULL UNIQUE REFERENCES product_variants (id) ON DELETE CASCADE,
    fingerprint text NOT NULL,
    seen_by_job bigint NOT NULL,
    PRIMARY KEY (supplier_id, code)
);

CREATE TABLE import_jobs (
    id           bigserial PRIMARY KEY,
    supplier_id  bigint NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
    actor_id     bigint REFERENCES customers (id) ON DELETE SET NULL,
    file_key     text,
    source_url   text,
    dry_run      boolean NOT NULL,
    status       text NOT NULL DEFAULT 'QUEUED'
                 CHECK (status IN ('QUEUED', 'RUNNING', 'FINISHED', 'FAILED')),
    -- Rows handled so far: a resumed job skips them.
    rows_done    bigint NOT NULL DEFAULT 0,
    created      integer NOT NULL DEFAULT 0,
    updated      integer NOT NULL DEFAULT 0,
    unchanged    integer NOT NULL DEFAULT 0,
    failed       integer NOT NULL DEFAULT 0,
    archived     integer NOT NULL DEFAULT 0,
    deleted      integer NOT NULL DEFAULT 0,
    message      text,
    heartbeat_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    CHECK (num_nonnulls(file_key, source_url) >= 1)
);
CREATE INDEX import_jobs_open_idx ON import_jobs (id) WHERE status IN ('QUEUED', 'RUNNING');
CREATE INDEX import_jobs_supplier_idx ON import_jobs (supplier_id, id DESC);

CREATE TABLE import_errors (
    job_id     bigint NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    row_number bigint NOT NULL,
    code       text,
    message    text NOT NULL,
    PRIMARY KEY (job_id, row_number)
);

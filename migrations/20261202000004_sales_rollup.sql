-- Sales figures read from daily rollups instead of scanning orders per request. A day's rows
-- are recomputed from the orders whenever one of that day's orders has a new event (placed,
-- paid, cancelled, …); see server/src/reports/rollup.rs.

CREATE TABLE sales_days (
    day    date PRIMARY KEY,
    orders integer NOT NULL,
    gross  bigint NOT NULL,
    net    bigint NOT NULL,
    units  bigint NOT NULL
);

CREATE TABLE sales_day_items (
    day          date NOT NULL,
    product_name text NOT NULL,
    category     text NOT NULL,
    brand        text NOT NULL,
    units        bigint NOT NULL,
    gross        bigint NOT NULL
);
CREATE INDEX sales_day_items_day_idx ON sales_day_items (day);

-- When the rollups were last brought up to date (one row).
CREATE TABLE sales_rollup_state (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    refreshed_at timestamptz NOT NULL
);
INSERT INTO sales_rollup_state (refreshed_at) VALUES ('-infinity');

CREATE INDEX order_events_occurred_idx ON order_events (occurred_at);

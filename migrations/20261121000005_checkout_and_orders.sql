-- Checkout state (kept per cart, so it survives reloads), discount codes, orders.
CREATE TABLE checkouts (
    cart_id          uuid PRIMARY KEY REFERENCES carts (id) ON DELETE CASCADE,
    email            citext,
    shipping_address jsonb,
    billing_address  jsonb,
    shipping_method  text,
    pickup_point_id  text,
    payment_method   text,
    discount_code    citext,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE discount_codes (
    id                 bigserial PRIMARY KEY,
    code               citext NOT NULL UNIQUE,
    kind               text NOT NULL CHECK (kind IN ('PERCENT', 'FIXED')),
    -- Percent (1-100) or haléř.
    value              bigint NOT NULL CHECK (value > 0),
    min_order          bigint NOT NULL DEFAULT 0,
    starts_at          timestamptz,
    ends_at            timestamptz,
    usage_limit        integer,
    per_customer_limit integer,
    used_count         integer NOT NULL DEFAULT 0,
    CHECK (kind <> 'PERCENT' OR value <= 100)
);

CREATE TABLE order_number_counters (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE orders (
    id               bigserial PRIMARY KEY,
    number           text NOT NULL UNIQUE,
    status           text NOT NULL CHECK (status IN ('PENDING_PAYMENT', 'PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED',
                                                     'CANCELLED', 'REFUNDED', 'PARTIALLY_REFUNDED')),
    customer_id      bigint REFERENCES customers (id) ON DELETE SET NULL,
    email            citext NOT NULL,
    shipping_address jsonb NOT NULL,
    billing_address  jsonb NOT NULL,
    shipping_method  text NOT NULL,
    pickup_point_id  text,
    payment_method   text NOT NULL,
    discount_code    text,
    subtotal         bigint NOT NULL,
    discount         bigint NOT NULL,
    shipping         bigint NOT NULL,
    payment_fee      bigint NOT NULL,
    total            bigint NOT NULL,
    vat_breakdown    jsonb NOT NULL,
    idempotency_key  text NOT NULL UNIQUE,
    cart_fingerprint text NOT NULL,
    version          integer NOT NULL DEFAULT 1,
    payment_due_at   timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_idx ON orders (customer_id, created_at DESC);

CREATE TABLE order_lines (
    order_id      bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    variant_id    bigint REFERENCES product_variants (id) ON DELETE SET NULL,
    sku           text NOT NULL,
    product_name  text NOT NULL,
    variant_title text NOT NULL,
    quantity      integer NOT NULL CHECK (quantity > 0),
    unit_price    bigint NOT NULL,
    vat_rate      smallint NOT NULL,
    total         bigint NOT NULL,
    PRIMARY KEY (order_id, position)
);

CREATE TABLE discount_redemptions (
    discount_id bigint NOT NULL REFERENCES discount_codes (id),
    order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    customer_id bigint REFERENCES customers (id) ON DELETE SET NULL,
    email       citext NOT NULL,
    PRIMARY KEY (discount_id, order_id)
);

CREATE TABLE order_events (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint REFERENCES customers (id) ON DELETE SET NULL,
    from_status text,
    to_status   text NOT NULL,
    note        text NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

ALTER TABLE stock_movements ADD COLUMN order_id bigint REFERENCES orders (id) ON DELETE SET NULL;

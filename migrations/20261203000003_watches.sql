-- Hlídací pes: notify when a variant's price drops below a value or when it is back in stock.
-- Guests confirm their e-mail first; a watch ends when its notice is sent (or is cancelled).
CREATE TABLE watches (
    id           bigserial PRIMARY KEY,
    variant_id   bigint NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('PRICE_BELOW', 'BACK_IN_STOCK')),
    price_below  bigint CHECK (price_below > 0),
    email        citext NOT NULL,
    customer_id  bigint REFERENCES customers (id) ON DELETE CASCADE,
    -- SHA-256 of the secret in the e-mailed links (confirm, cancel).
    token_hash   bytea NOT NULL UNIQUE,
    confirmed_at timestamptz,
    notified_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'PRICE_BELOW') = (price_below IS NOT NULL))
);
CREATE UNIQUE INDEX watches_one_open ON watches (variant_id, kind, email) WHERE notified_at IS NULL;
CREATE INDEX watches_waiting ON watches (id) WHERE confirmed_at IS NOT NULL AND notified_at IS NULL;
CREATE INDEX watches_customer ON watches (customer_id) WHERE customer_id IS NOT NULL;

-- Accounts: customers and staff, sessions (refresh-token families), password resets, addresses,
-- the security audit log, and the transactional outbox that delivers e-mail.
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE customers (
    id                bigserial PRIMARY KEY,
    email             citext NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    password_hash     text NOT NULL,
    first_name        text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name         text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    phone             text CHECK (phone ~ '^\+?[0-9]{9,15}$'),
    marketing_consent boolean NOT NULL DEFAULT false,
    role              text NOT NULL DEFAULT 'CUSTOMER' CHECK (role IN ('CUSTOMER', 'ADMIN')),
    disabled          boolean NOT NULL DEFAULT false,
    failed_logins     integer NOT NULL DEFAULT 0,
    locked_until      timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_search_idx ON customers USING gin
    ((shop_search_text(email::text || ' ' || first_name || ' ' || last_name)) gin_trgm_ops);

-- A refresh token; rotation makes a chain of them, a family. Only hashes are stored.
CREATE TABLE refresh_tokens (
    id          bigserial PRIMARY KEY,
    family_id   uuid NOT NULL,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    rotated_at  timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_customer_idx ON refresh_tokens (customer_id);

CREATE TABLE password_reset_tokens (
    token_hash  bytea PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE addresses (
    id                  bigserial PRIMARY KEY,
    customer_id         bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    first_name          text NOT NULL,
    last_name           text NOT NULL,
    company             text,
    ico                 text CHECK (ico ~ '^[0-9]{8}$'),
    dic                 text CHECK (dic ~ '^CZ[0-9]{8,10}$'),
    street              text NOT NULL,
    city                text NOT NULL,
    postal_code         text NOT NULL CHECK (postal_code ~ '^[0-9]{3} [0-9]{2}$'),
    country             text NOT NULL DEFAULT 'CZ' CHECK (country ~ '^[A-Z]{2}$'),
    phone               text,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX addresses_customer_idx ON addresses (customer_id);
ALTER TABLE customers
    ADD COLUMN default_shipping_address_id bigint REFERENCES addresses (id) ON DELETE SET NULL,
    ADD COLUMN default_billing_address_id bigint REFERENCES addresses (id) ON DELETE SET NULL;

-- Security events, for admins.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    event       text NOT NULL,
    customer_id bigint REFERENCES customers (id) ON DELETE SET NULL,
    actor_id    bigint REFERENCES customers (id) ON DELETE SET NULL,
    ip          text,
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at DESC, id DESC);
CREATE INDEX audit_log_customer_idx ON audit_log (customer_id, occurred_at DESC);

-- The transactional outbox: written in the same transaction as the change it announces,
-- delivered at least once by a worker that claims rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    kind            text NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    last_error      text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

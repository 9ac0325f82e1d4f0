-- Payments: attempts at gateways, the ledger of money in and out, refunds, bank movements.

-- A payment that reaches a cancelled order is kept and flagged for admins.
ALTER TABLE orders ADD COLUMN paid_late boolean NOT NULL DEFAULT false;

-- One row per attempt to pay an order at a gateway (PayU).
CREATE TABLE payments (
    id              bigserial PRIMARY KEY,
    order_id        bigint NOT NULL REFERENCES orders (id),
    provider        text NOT NULL CHECK (provider IN ('PAYU')),
    attempt         integer NOT NULL CHECK (attempt > 0),
    provider_id     text,
    amount          bigint NOT NULL CHECK (amount > 0),
    currency        text NOT NULL,
    status          text NOT NULL CHECK (status IN ('STARTED', 'PENDING', 'COMPLETED', 'CANCELED')),
    provider_status text,
    redirect_url    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, attempt),
    UNIQUE (provider, provider_id)
);

-- Every movement of money: "paid", "refunded" and "still due" are sums of this table.
-- `reference` names the source (a gateway payment, a bank movement, a refund, an admin's entry)
-- so that the same money is never counted twice.
CREATE TABLE payment_ledger (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    kind        text NOT NULL CHECK (kind IN ('PAYMENT', 'REFUND')),
    channel     text NOT NULL CHECK (channel IN ('PAYU', 'BANK_TRANSFER', 'CASH_ON_DELIVERY')),
    amount      bigint NOT NULL CHECK (amount > 0),
    reference   text NOT NULL UNIQUE,
    note        text NOT NULL DEFAULT '',
    recorded_by bigint REFERENCES customers (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_ledger_order_idx ON payment_ledger (order_id);

CREATE TABLE refunds (
    id          bigserial PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id),
    payment_id  bigint REFERENCES payments (id),
    channel     text NOT NULL CHECK (channel IN ('PAYU', 'BANK_TRANSFER', 'CASH_ON_DELIVERY')),
    amount      bigint NOT NULL CHECK (amount > 0),
    reason      text NOT NULL,
    status      text NOT NULL CHECK (status IN ('PENDING', 'FINALIZED', 'CANCELED')),
    provider_id text,
    recorded_by bigint REFERENCES customers (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_order_idx ON refunds (order_id);
CREATE INDEX refunds_pending_idx ON refunds (updated_at) WHERE status = 'PENDING';

-- Incoming movements read from the shop's bank, each once (the bank's id is the key).
CREATE TABLE bank_movements (
    movement_id     text PRIMARY KEY,
    amount          bigint NOT NULL,
    currency        text NOT NULL,
    variable_symbol text,
    counter_account text,
    counter_name    text,
    message         text,
    order_id        bigint REFERENCES orders (id),
    outcome         text NOT NULL CHECK (outcome IN ('PAID', 'UNDERPAID', 'OVERPAID', 'UNKNOWN_SYMBOL',
                                                     'FOREIGN_CURRENCY', 'LATE')),
    received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_movements_attention_idx ON bank_movements (received_at DESC)
    WHERE outcome NOT IN ('PAID', 'UNDERPAID');

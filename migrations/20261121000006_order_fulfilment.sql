-- Fulfilment details and staff notes of orders.
ALTER TABLE orders
    ADD COLUMN carrier text,
    ADD COLUMN tracking_number text,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX orders_status_idx ON orders (status, created_at DESC);
CREATE INDEX orders_payment_due_idx ON orders (payment_due_at) WHERE status = 'PENDING_PAYMENT';

CREATE TABLE order_notes (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    author_id  bigint REFERENCES customers (id) ON DELETE SET NULL,
    note       text NOT NULL CHECK (length(note) BETWEEN 1 AND 2000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_notes_order_idx ON order_notes (order_id, id);

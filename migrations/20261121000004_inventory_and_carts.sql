-- Inventory: stock per warehouse with reservations, and a ledger of every movement.
CREATE TABLE warehouses (
    id         bigserial PRIMARY KEY,
    code       text NOT NULL UNIQUE,
    name       text NOT NULL,
    is_default boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX warehouses_one_default_idx ON warehouses (is_default) WHERE is_default;
INSERT INTO warehouses (code, name, is_default) VALUES ('PRAHA', 'Sklad Praha', true);

CREATE TABLE stock_levels (
    variant_id   bigint NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    warehouse_id bigint NOT NULL REFERENCES warehouses (id) ON DELETE RESTRICT,
    on_hand      integer NOT NULL CHECK (on_hand >= 0),
    reserved     integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
    PRIMARY KEY (variant_id, warehouse_id)
);

CREATE TABLE stock_movements (
    id           bigserial PRIMARY KEY,
    variant_id   bigint NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    warehouse_id bigint NOT NULL REFERENCES warehouses (id),
    kind         text NOT NULL CHECK (kind IN ('RECEIPT', 'SALE', 'RESERVATION', 'RELEASE', 'ADJUSTMENT')),
    quantity     integer NOT NULL,
    reason       text NOT NULL DEFAULT '',
    actor_id     bigint REFERENCES customers (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movements_variant_idx ON stock_movements (variant_id, created_at DESC);

-- product_variants.stock_quantity stays the number the catalog shows and filters on: what can be
-- sold now, summed over warehouses. This trigger keeps it equal to on_hand - reserved.
CREATE FUNCTION stock_levels_available() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    vid bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.variant_id ELSE NEW.variant_id END;
BEGIN
    UPDATE product_variants
       SET stock_quantity = (SELECT coalesce(sum(on_hand - reserved), 0) FROM stock_levels WHERE variant_id = vid)
     WHERE id = vid;
    RETURN NULL;
END $$;
CREATE TRIGGER stock_levels_available_trg AFTER INSERT OR UPDATE OR DELETE ON stock_levels
    FOR EACH ROW EXECUTE FUNCTION stock_levels_available();

INSERT INTO stock_levels (variant_id, warehouse_id, on_hand)
     SELECT v.id, w.id, v.stock_quantity FROM product_variants v CROSS JOIN warehouses w WHERE w.is_default;
INSERT INTO stock_movements (variant_id, warehouse_id, kind, quantity, reason)
     SELECT variant_id, warehouse_id, 'RECEIPT', on_hand, 'initial stock' FROM stock_levels WHERE on_hand > 0;

-- Carts: guests hold an unguessable id (a cookie in the storefront); a customer has one cart.
CREATE TABLE carts (
    id          uuid PRIMARY KEY,
    customer_id bigint REFERENCES customers (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX carts_customer_idx ON carts (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX carts_guest_updated_idx ON carts (updated_at) WHERE customer_id IS NULL;

CREATE TABLE cart_lines (
    cart_id    uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    variant_id bigint NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cart_id, variant_id)
);

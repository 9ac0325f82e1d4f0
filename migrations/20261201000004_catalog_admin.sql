-- Catalog management: product status, old slugs that keep redirecting, the price history and
-- the lowest price of the 30 days before the current price (the Omnibus rule, § 12a of the Czech
-- consumer protection act), and who changed what in the catalog.

ALTER TABLE products ADD COLUMN status text NOT NULL DEFAULT 'PUBLISHED'
    CHECK (status IN ('DRAFT', 'PUBLISHED', 'ARCHIVED'));

CREATE TABLE slug_redirects (
    old_slug   text PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE price_history (
    variant_id  bigint NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    price_gross bigint NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_history_variant_idx ON price_history (variant_id, changed_at DESC);

ALTER TABLE product_variants ADD COLUMN lowest_price_30d bigint;
INSERT INTO price_history (variant_id, price_gross) SELECT id, price_gross FROM product_variants;
UPDATE product_variants SET lowest_price_30d = price_gross;

-- A new variant's history starts with its price.
CREATE FUNCTION variant_price_started() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.lowest_price_30d := coalesce(NEW.lowest_price_30d, NEW.price_gross);
    RETURN NEW;
END $$;
CREATE TRIGGER variant_price_started BEFORE INSERT ON product_variants
    FOR EACH ROW EXECUTE FUNCTION variant_price_started();

CREATE FUNCTION variant_prices_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO price_history (variant_id, price_gross) SELECT id, price_gross FROM inserted;
    RETURN NULL;
END $$;
CREATE TRIGGER variant_prices_recorded AFTER INSERT ON product_variants
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION variant_prices_recorded();

-- A price change: the lowest price in effect during the 30 days before it, then the history.
CREATE FUNCTION variant_price_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.lowest_price_30d := least(
        OLD.price_gross,
        (SELECT min(price_gross) FROM price_history
          WHERE variant_id = NEW.id AND changed_at >= now() - interval '30 days'),
        (SELECT price_gross FROM price_history
          WHERE variant_id = NEW.id AND changed_at < now() - interval '30 days'
          ORDER BY changed_at DESC LIMIT 1));
    RETURN NEW;
END $$;
CREATE TRIGGER variant_price_changed BEFORE UPDATE OF price_gross ON product_variants
    FOR EACH ROW WHEN (OLD.price_gross IS DISTINCT FROM NEW.price_gross)
    EXECUTE FUNCTION variant_price_changed();

CREATE FUNCTION variant_price_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO price_history (variant_id, price_gross) VALUES (NEW.id, NEW.price_gross);
    RETURN NULL;
END $$;
CREATE TRIGGER variant_price_recorded AFTER UPDATE OF price_gross ON product_variants
    FOR EACH ROW WHEN (OLD.price_gross IS DISTINCT FROM NEW.price_gross)
    EXECUTE FUNCTION variant_price_recorded();

-- Who changed what in the catalog, before and after.
CREATE TABLE catalog_audit (
    id         bigserial PRIMARY KEY,
    actor_id   bigint REFERENCES customers (id) ON DELETE SET NULL,
    entity     text NOT NULL,
    entity_id  bigint NOT NULL,
    action     text NOT NULL,
    before     jsonb,
    after      jsonb,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_audit_entity_idx ON catalog_audit (entity, entity_id, changed_at DESC);

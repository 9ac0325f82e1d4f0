-- Catalog: categories (3 levels), brands, products, variants, images and typed attributes.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- unaccent() is only STABLE (it reads a dictionary); indexes need an IMMUTABLE wrapper that names
-- the dictionary explicitly.
CREATE FUNCTION shop_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Text normalised for search: lower case, no diacritics ("Židle" -> "zidle").
CREATE FUNCTION shop_search_text(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(shop_unaccent($1)) $$;

CREATE TABLE categories (
    id          bigserial PRIMARY KEY,
    parent_id   bigint REFERENCES categories (id) ON DELETE RESTRICT,
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    depth       smallint NOT NULL CHECK (depth BETWEEN 0 AND 2),
    position    integer NOT NULL DEFAULT 0,
    featured    boolean NOT NULL DEFAULT false
);
CREATE INDEX categories_parent_idx ON categories (parent_id, position);

CREATE TABLE brands (
    id   bigserial PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE products (
    id            bigserial PRIMARY KEY,
    slug          text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    description   text NOT NULL DEFAULT '',
    ean           text CHECK (ean ~ '^[0-9]{8}$|^[0-9]{13}$'),
    brand_id      bigint REFERENCES brands (id) ON DELETE RESTRICT,
    category_id   bigint NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
    weight_grams  integer CHECK (weight_grams >= 0),
    length_mm     integer CHECK (length_mm >= 0),
    width_mm      integer CHECK (width_mm >= 0),
    height_mm     integer CHECK (height_mm >= 0),
    featured      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Lowest variant price, kept by a trigger on product_variants: sorting and price filters read it.
    price_min     bigint,
    -- Full-text document (name A, brand B, description C), kept by the trigger below.
    search_vector tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX products_category_idx ON products (category_id);
CREATE INDEX products_brand_idx ON products (brand_id);
CREATE INDEX products_price_idx ON products (price_min, id);
CREATE INDEX products_created_idx ON products (created_at DESC, id DESC);
CREATE INDEX products_name_idx ON products ((name COLLATE "cs-x-icu"), id);
CREATE INDEX products_search_idx ON products USING gin (search_vector);
CREATE INDEX products_name_trgm_idx ON products USING gin (shop_search_text(name) gin_trgm_ops);

CREATE FUNCTION products_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', shop_search_text(NEW.name)), 'A') ||
        setweight(to_tsvector('simple', shop_search_text(coalesce(
            (SELECT name FROM brands WHERE id = NEW.brand_id), ''))), 'B') ||
        setweight(to_tsvector('simple', shop_search_text(NEW.description)), 'C');
    RETURN NEW;
END $$;
CREATE TRIGGER products_search_vector_trg BEFORE INSERT OR UPDATE OF name, description, brand_id
    ON products FOR EACH ROW EXECUTE FUNCTION products_search_vector();

CREATE TABLE product_variants (
    id                bigserial PRIMARY KEY,
    product_id        bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku               text NOT NULL UNIQUE CHECK (length(sku) BETWEEN 1 AND 64),
    -- Option values that tell the variants apart, e.g. [{"name":"Barva","value":"Červená"}].
    options           jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(options) = 'array'),
    price_gross       bigint NOT NULL CHECK (price_gross > 0),
    compare_at_gross  bigint CHECK (compare_at_gross > price_gross),
    vat_rate          smallint NOT NULL CHECK (vat_rate IN (0, 12, 21)),
    stock_quantity    integer NOT NULL DEFAULT 0 CHECK (stock_quantity >= 0),
    position          integer NOT NULL DEFAULT 0
);
CREATE INDEX product_variants_product_idx ON product_variants (product_id, position);

CREATE FUNCTION product_variants_price_min() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid bigint := CASE WHEN TG_OP = 'DELETE' THEN OLD.product_id ELSE NEW.product_id END;
BEGIN
    UPDATE products SET price_min = (SELECT min(price_gross) FROM product_variants WHERE product_id = pid)
     WHERE id = pid;
    IF TG_OP = 'UPDATE' AND OLD.product_id <> NEW.product_id THEN
        UPDATE products SET price_min = (SELECT min(price_gross) FROM product_variants WHERE product_id = OLD.product_id)
         WHERE id = OLD.product_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER product_variants_price_min_trg AFTER INSERT OR DELETE OR UPDATE OF price_gross, product_id
    ON product_variants FOR EACH ROW EXECUTE FUNCTION product_variants_price_min();

CREATE TABLE product_images (
    id         bigserial PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    url        text NOT NULL,
    alt        text NOT NULL DEFAULT '',
    position   integer NOT NULL DEFAULT 0
);
CREATE INDEX product_images_product_idx ON product_images (product_id, position);

CREATE TABLE attributes (
    id   bigserial PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('TEXT', 'NUMBER', 'SELECT')),
    unit text
);

CREATE TABLE attribute_values (
    id           bigserial PRIMARY KEY,
    attribute_id bigint NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    slug         text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name         text NOT NULL,
    position     integer NOT NULL DEFAULT 0,
    UNIQUE (attribute_id, slug)
);

-- One value per product and attribute; which column holds it follows the attribute's kind.
CREATE TABLE product_attributes (
    product_id   bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    attribute_id bigint NOT NULL REFERENCES attributes (id) ON DELETE CASCADE,
    value_id     bigint REFERENCES attribute_values (id) ON DELETE CASCADE,
    text_value   text,
    number_value double precision,
    PRIMARY KEY (product_id, attribute_id),
    CHECK (num_nonnulls(value_id, text_value, number_value) = 1)
);
CREATE INDEX product_attributes_value_idx ON product_attributes (value_id, product_id);
CREATE INDEX product_attributes_number_idx ON product_attributes (attribute_id, number_value);

-- Words of the catalog, for correcting typos in search queries ("zidel" -> "zidle").
-- Refreshed after catalog imports (see catalog::store::refresh_search_lexicon).
CREATE MATERIALIZED VIEW search_lexicon AS
    SELECT word FROM ts_stat('SELECT search_vector FROM products') WHERE length(word) >= 3;
CREATE UNIQUE INDEX search_lexicon_word_idx ON search_lexicon (word);
CREATE INDEX search_lexicon_trgm_idx ON search_lexicon USING gin (word gin_trgm_ops);

-- Zásilkovna (Packeta) pickup points, synced from Packeta's branch feed; orders keep the chosen
-- point's name and address as they were.
CREATE TABLE pickup_points (
    id            text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9]{1,32}$'),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    street        text NOT NULL CHECK (length(street) <= 200),
    city          text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
    zip           text NOT NULL CHECK (length(zip) <= 10),
    latitude      double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude     double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    opening_hours text NOT NULL DEFAULT '' CHECK (length(opening_hours) <= 500),
    active        boolean NOT NULL DEFAULT true,
    -- City, street, name and PSČ without diacritics or spaces in the PSČ, for the picker's search.
    search_text   text GENERATED ALWAYS AS (
        shop_search_text(city || ' ' || street || ' ' || name) || ' ' || replace(zip, ' ', '')
    ) STORED,
    synced_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pickup_points_search ON pickup_points USING gin (search_text gin_trgm_ops) WHERE active;

-- When the next sync is due; one row, claimed by one instance at a time.
CREATE TABLE pickup_point_sync (
    id     boolean PRIMARY KEY DEFAULT true CHECK (id),
    due_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO pickup_point_sync DEFAULT VALUES;

ALTER TABLE orders
    ADD COLUMN pickup_point_name    text,
    ADD COLUMN pickup_point_address text;

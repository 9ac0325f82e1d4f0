-- Listings sorted by relevance read this index in order and stop after a page.
CREATE INDEX products_relevance_idx ON products (featured DESC, id);
-- Counts and facets over a category read the index alone (index-only scans).
DROP INDEX products_category_idx;
CREATE INDEX products_category_idx ON products (category_id) INCLUDE (brand_id, price_min);

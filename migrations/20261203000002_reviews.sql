-- Product reviews from verified buyers (one per customer and product), moderated by staff; the
-- catalog keeps each product's count and total of approved stars for cards and sorting.
CREATE TABLE product_reviews (
    id           bigserial PRIMARY KEY,
    product_id   bigint NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    customer_id  bigint NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    author_name  text NOT NULL CHECK (length(author_name) BETWEEN 1 AND 100),
    rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    pros         text NOT NULL DEFAULT '' CHECK (length(pros) <= 1000),
    cons         text NOT NULL DEFAULT '' CHECK (length(cons) <= 1000),
    status       text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    moderated_at timestamptz,
    moderated_by bigint REFERENCES customers (id) ON DELETE SET NULL,
    UNIQUE (product_id, customer_id)
);
CREATE INDEX product_reviews_approved ON product_reviews (product_id, created_at DESC, id DESC) WHERE status = 'APPROVED';
CREATE INDEX product_reviews_pending ON product_reviews (created_at, id) WHERE status = 'PENDING';

ALTER TABLE products
    ADD COLUMN rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    ADD COLUMN rating_total integer NOT NULL DEFAULT 0 CHECK (rating_total >= 0);

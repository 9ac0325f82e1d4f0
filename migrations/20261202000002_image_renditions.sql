-- Uploaded product images: where their renditions live in the media store and which widths
-- exist (`url` stays the largest one, so every reader of `url` keeps working).
ALTER TABLE product_images
    ADD COLUMN media_key text CHECK (media_key ~ '^images/[0-9a-f]{32}$'),
    ADD COLUMN widths integer[] NOT NULL DEFAULT '{}';

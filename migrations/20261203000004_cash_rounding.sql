-- Cash on delivery is collected in whole crowns: the order keeps the rounding (outside the VAT
-- base) as its own amount, part of the total.
ALTER TABLE orders ADD COLUMN rounding bigint NOT NULL DEFAULT 0 CHECK (rounding BETWEEN -49 AND 50);

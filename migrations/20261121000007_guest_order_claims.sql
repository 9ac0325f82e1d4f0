-- A storefront sign-in claims the guest orders placed from the browser's cart
-- (orders.cart_fingerprint holds the cart's id): find them without scanning every order.
CREATE INDEX orders_guest_cart_idx ON orders (cart_fingerprint) WHERE customer_id IS NULL;

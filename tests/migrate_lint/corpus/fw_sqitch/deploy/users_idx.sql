BEGIN;
CREATE INDEX orders_placed_idx ON orders (placed_at);
COMMIT;

-- expect-none: migrate/non-concurrent-index
-- expect-none: migrate/concurrently-in-transaction

CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);

-- expect: migrate/non-concurrent-index
-- expect-none: migrate/concurrently-in-transaction

CREATE INDEX orders_customer_idx ON orders (customer_id);

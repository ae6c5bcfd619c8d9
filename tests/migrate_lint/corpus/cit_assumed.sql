-- options: assume_in_transaction
-- expect: migrate/concurrently-in-transaction

CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);

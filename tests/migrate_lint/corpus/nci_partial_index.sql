-- expect: migrate/non-concurrent-index

CREATE INDEX orders_open_idx ON orders (created_at) WHERE status = 'open';

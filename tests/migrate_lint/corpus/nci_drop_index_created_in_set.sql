-- expect-none: migrate/non-concurrent-index

CREATE INDEX CONCURRENTLY tmp_idx ON orders (created_at);
DROP INDEX tmp_idx;

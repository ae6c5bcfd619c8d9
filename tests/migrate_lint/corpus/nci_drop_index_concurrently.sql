-- expect-none: migrate/non-concurrent-index

DROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;

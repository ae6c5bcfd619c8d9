-- expect: migrate/non-concurrent-index

DROP INDEX IF EXISTS orders_old_idx;

-- expect-none: migrate/non-concurrent-index

REINDEX INDEX CONCURRENTLY orders_pkey;

-- expect: migrate/non-concurrent-index

REINDEX INDEX orders_pkey;

-- expect: migrate/non-concurrent-index

REINDEX TABLE orders;

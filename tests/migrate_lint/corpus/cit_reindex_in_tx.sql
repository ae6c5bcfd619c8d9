-- expect: migrate/concurrently-in-transaction

START TRANSACTION;
REINDEX INDEX CONCURRENTLY orders_pkey;
COMMIT;

-- expect: migrate/concurrently-in-transaction

BEGIN;
DROP INDEX CONCURRENTLY orders_status_idx;
COMMIT;

-- expect-none: migrate/missing-lock-timeout

BEGIN;
SET LOCAL lock_timeout = '1s';
ALTER TABLE users ADD COLUMN note text;
COMMIT;

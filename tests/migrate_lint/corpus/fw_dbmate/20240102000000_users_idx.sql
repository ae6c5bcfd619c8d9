-- migrate:up transaction:false
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_last_seen_idx ON users (last_seen);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS users_last_seen_idx;

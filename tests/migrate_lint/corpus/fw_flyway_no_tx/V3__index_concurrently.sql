SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_created_idx ON users (created_at);

SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_name_idx ON users (name);

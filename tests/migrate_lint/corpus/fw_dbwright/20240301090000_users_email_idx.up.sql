-- dbwright:transaction off
-- dbwright:lock-timeout 2s
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);

-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_plan_idx ON users (plan);

-- migrate:down
DROP INDEX IF EXISTS users_plan_idx;

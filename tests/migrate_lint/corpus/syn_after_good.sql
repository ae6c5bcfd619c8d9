-- expect: migrate/syntax-error
-- expect: migrate/non-concurrent-index

CREATE INDEX users_a_idx ON users (a);
ALTER TABLE users ADD COLUMN;

-- expect-none: migrate/missing-lock-timeout

CREATE INDEX CONCURRENTLY users_name_idx ON users (name);

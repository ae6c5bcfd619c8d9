-- expect-none: migrate/non-idempotent

CREATE TABLE IF NOT EXISTS things (id bigint);

-- expect-none: migrate/prefer-bigint-key

CREATE TABLE counters (hits integer NOT NULL DEFAULT 0);

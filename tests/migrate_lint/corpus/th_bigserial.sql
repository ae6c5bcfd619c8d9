-- expect: migrate/prefer-identity
-- expect-none: migrate/prefer-bigint-key

CREATE TABLE labels (id bigserial PRIMARY KEY);

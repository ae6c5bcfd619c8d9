-- expect-none: migrate/prefer-bigint-key
-- expect-none: migrate/prefer-identity

CREATE TABLE gadgets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);

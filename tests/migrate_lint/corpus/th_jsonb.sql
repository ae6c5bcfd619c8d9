-- expect-none: migrate/prefer-jsonb

CREATE TABLE payloads2 (body jsonb);

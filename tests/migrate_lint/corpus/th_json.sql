-- expect: migrate/prefer-jsonb

CREATE TABLE payloads (body json);

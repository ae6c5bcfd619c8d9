-- expect: migrate/prefer-identity
-- expect: migrate/prefer-bigint-key

CREATE TABLE tags (id serial PRIMARY KEY, label text);

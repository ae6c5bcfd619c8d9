-- expect: migrate/prefer-bigint-key

CREATE TABLE widgets (id integer PRIMARY KEY, name text);

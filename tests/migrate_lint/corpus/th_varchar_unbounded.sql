-- expect-none: migrate/prefer-text

CREATE TABLE people3 (name varchar);

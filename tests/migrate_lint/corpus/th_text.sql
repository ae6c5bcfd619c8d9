-- expect-none: migrate/prefer-text

CREATE TABLE people2 (name text CHECK (length(name) <= 100));

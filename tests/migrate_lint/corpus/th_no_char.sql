-- expect-none: migrate/avoid-char

CREATE TABLE countries2 (code text PRIMARY KEY CHECK (length(code) = 2));

-- expect-none: migrate/prefer-timestamptz

CREATE TABLE logins2 (at timestamptz NOT NULL, day date);

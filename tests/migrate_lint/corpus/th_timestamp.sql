-- expect: migrate/prefer-timestamptz

CREATE TABLE logins (at timestamp NOT NULL);

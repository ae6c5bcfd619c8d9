-- expect: migrate/prefer-bigint-key

CREATE TABLE pairs (a int, b int, PRIMARY KEY (a, b));

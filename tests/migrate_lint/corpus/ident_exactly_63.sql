-- expect-none: migrate/identifier-too-long

CREATE TABLE t_exact (abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk int);

-- expect: migrate/non-concurrent-index

-- dbwright:ignore non-concurrent-index first only
CREATE INDEX a_idx ON countries (a);
CREATE INDEX b_idx ON countries (b);

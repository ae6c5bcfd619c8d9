-- expect: migrate/identifier-too-long

ALTER TABLE users ADD COLUMN this_is_a_really_long_column_name_that_goes_past_the_postgres_limit_x text;

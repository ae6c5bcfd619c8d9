-- expect-none: migrate/add-pk-or-unique-without-using-index
-- expect-none: migrate/non-concurrent-index

CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

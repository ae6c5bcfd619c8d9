-- expect: migrate/add-pk-or-unique-without-using-index

ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);

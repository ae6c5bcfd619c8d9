-- expect-none: migrate/set-not-null-without-check

CREATE TABLE profiles (user_id bigint, bio text);
ALTER TABLE profiles ALTER COLUMN user_id SET NOT NULL;

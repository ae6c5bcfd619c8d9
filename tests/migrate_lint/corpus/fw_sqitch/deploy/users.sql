BEGIN;
CREATE TABLE app_users (id bigint PRIMARY KEY, email text NOT NULL);
COMMIT;

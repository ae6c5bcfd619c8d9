-- expect: migrate/unused-ignore

-- dbwright:ignore drop-table nothing to drop here
ALTER TABLE users ADD COLUMN IF NOT EXISTS note text;

-- expect-none: migrate/enum-add-value-in-transaction

ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';

-- expect-none: migrate/avoid-money

CREATE TABLE prices2 (amount numeric(12,2), currency text);

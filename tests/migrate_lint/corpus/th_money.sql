-- expect: migrate/avoid-money

CREATE TABLE prices (amount money);

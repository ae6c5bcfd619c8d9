-- A migration with a typo: the stray comma on line 7 makes FROM a syntax error.
CREATE TABLE accounts (
  id   bigint PRIMARY KEY,
  name text NOT NULL
);

SELECT id, FROM accounts;
SELECT 2;

INSERT INTO accounts (name) VALUES ('Ærøskøbing'), ('東京');
-- Columns count characters: 'é' is one column although it takes two bytes.
SELECT 'é', FROM accounts;

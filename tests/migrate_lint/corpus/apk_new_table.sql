-- expect-none: migrate/add-pk-or-unique-without-using-index

CREATE TABLE codes (code text);
ALTER TABLE codes ADD PRIMARY KEY (code);

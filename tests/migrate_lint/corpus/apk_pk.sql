-- expect: migrate/add-pk-or-unique-without-using-index

ALTER TABLE legacy ADD PRIMARY KEY (id);

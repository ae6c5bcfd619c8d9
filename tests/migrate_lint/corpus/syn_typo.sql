-- expect: migrate/syntax-error

CREATE TABEL broken (id int);

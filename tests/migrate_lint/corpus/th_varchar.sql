-- expect: migrate/prefer-text

CREATE TABLE people (name varchar(100));

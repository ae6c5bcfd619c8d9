-- expect: migrate/avoid-char

CREATE TABLE countries (code char(2) PRIMARY KEY);

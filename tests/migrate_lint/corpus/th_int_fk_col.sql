-- expect: migrate/prefer-bigint-key

CREATE TABLE widget_parts (id bigint PRIMARY KEY, widget_id int NOT NULL);

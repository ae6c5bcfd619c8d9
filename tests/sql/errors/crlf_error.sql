CREATE TABLE c (
  id int
);
/* comment
   spanning lines */ ALTER TABLE c ADD COLUMN;

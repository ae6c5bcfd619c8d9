CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
BEGIN
  -- a comment; and 'quotes' in the body
  RETURN 1;
END;
$body$;
CREATE TABLE x (id int,);

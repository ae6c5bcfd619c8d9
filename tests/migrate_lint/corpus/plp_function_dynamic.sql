-- expect: migrate/drop-table

CREATE OR REPLACE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'DROP TABLE old_events';
END
$$;

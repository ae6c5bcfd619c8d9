-- expect-none: migrate/unbatched-update-delete

CREATE OR REPLACE FUNCTION reset_flags() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE flags SET on = false;
END
$$;

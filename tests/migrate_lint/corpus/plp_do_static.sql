-- expect: migrate/unbatched-update-delete

DO $$
BEGIN
  UPDATE orders SET archived = false;
END
$$;

-- expect: migrate/unbatched-update-delete

DELETE FROM sessions;

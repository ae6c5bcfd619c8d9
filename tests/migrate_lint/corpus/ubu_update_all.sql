-- expect: migrate/unbatched-update-delete

UPDATE users SET status = 'active';

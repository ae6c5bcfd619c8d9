-- dbwright:lock-timeout 2s
UPDATE users SET plan = 'free';

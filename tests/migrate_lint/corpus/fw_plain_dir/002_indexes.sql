CREATE INDEX IF NOT EXISTS ledger_account_idx ON ledger (account_id);
ALTER TABLE ledger ADD CONSTRAINT ledger_amount_nonzero CHECK (amount <> 0);

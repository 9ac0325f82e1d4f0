-- Tax documents look for orders paid lately: the ledger by time.
CREATE INDEX payment_ledger_created_idx ON payment_ledger (created_at) WHERE kind = 'PAYMENT';

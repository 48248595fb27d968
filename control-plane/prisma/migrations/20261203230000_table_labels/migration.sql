-- Labels on table contracts (as flows have): metadata for owners, layers and platform
-- policies; a change of labels alone is a patch version, like a description.
ALTER TABLE table_contracts ADD COLUMN labels jsonb NOT NULL DEFAULT '{}'::jsonb;

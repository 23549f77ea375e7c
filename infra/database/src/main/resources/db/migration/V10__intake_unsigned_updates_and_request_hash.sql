-- Intake safety (issue 21): what an unsigned (browser) submission may change on a contact it matches,
-- and idempotency keys bound to the request that used them first.

-- fill_empty: an unsigned post fills empty contact fields and never overwrites filled ones (the default,
-- for existing forms too); overwrite: as a signed submission, except the email's spelling.
ALTER TABLE forms
  ADD COLUMN unsigned_updates text NOT NULL DEFAULT 'fill_empty' CHECK (unsigned_updates IN ('fill_empty', 'overwrite'));

-- SHA-256 (hex) of the form id and the canonical request (fields, consent, submittedAt), written with the
-- claim. The same key with another request is refused (409). Receipts from before have none and replay
-- as they did.
ALTER TABLE intake_receipts
  ADD COLUMN request_hash text;

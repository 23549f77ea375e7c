-- Intake fidelity: more form settings, account linking on intake, contactless leads matched on their
-- own fields, and the form's submission log (the intake receipts, now with what was received).

ALTER TABLE forms
  ADD COLUMN account_matching text NOT NULL DEFAULT 'off' CHECK (account_matching IN ('off', 'domain', 'company_name')),
  ADD COLUMN create_accounts  boolean NOT NULL DEFAULT false,
  ADD COLUMN allowed_origins  text[] NOT NULL DEFAULT '{}',
  ADD COLUMN redirect_url     text,
  ADD COLUMN honeypot_field   text;

-- Account linking compares normalized values, computed by the domain code like the contacts' *_norm
-- columns. Accounts created before this migration get the closest SQL equivalent.
ALTER TABLE accounts
  ADD COLUMN name_norm   text,
  ADD COLUMN domain_norm text;
UPDATE accounts
   SET name_norm = nullif(lower(regexp_replace(btrim(normalize(name, NFKC)), '\s+', ' ', 'g')), ''),
       domain_norm = nullif(regexp_replace(rtrim(lower(btrim(domain)), '.'), '^www\.', ''), '');
CREATE INDEX accounts_domain_norm ON accounts (domain_norm);
CREATE INDEX accounts_name_norm ON accounts (name_norm);
DROP INDEX accounts_domain;

-- The normalized submitted fields of a lead, so that a lead without a contact (update mode only_leads)
-- can be matched on its own fields. Only contactless open leads are searched, so the indexes are partial.
ALTER TABLE leads
  ADD COLUMN email_norm        text,
  ADD COLUMN first_name_norm   text,
  ADD COLUMN last_name_norm    text,
  ADD COLUMN phone_norm        text,
  ADD COLUMN company_name_norm text;
CREATE INDEX leads_contactless_email ON leads (email_norm) WHERE contact_id IS NULL AND status = 'open';
CREATE INDEX leads_contactless_context ON leads (context_id) WHERE contact_id IS NULL AND status = 'open';

-- The submission log: every accepted submission as received ({fields, consent?, submittedAt?}) and
-- what it did. `response` (the first answer, for replays) holds the outcome ids; `outcome` says in
-- words what happened, including why nothing was created. Rows older than SUBMISSION_RETENTION_DAYS
-- are deleted by the retention job (created_at is indexed for it since V1).
-- `received` is json, not jsonb, so the fields keep the order and spelling they arrived in.
ALTER TABLE intake_receipts
  ADD COLUMN received json,
  ADD COLUMN outcome  text;
CREATE INDEX intake_receipts_log ON intake_receipts (form_id, created_at DESC, submission_key);

-- Consent history (docs/privacy.md, "Consent history"): every change of a contact's consent, one row per purpose
-- changed, written by the same statement that changes contacts.consent (ContactStore.insert and update). The
-- contact's consent column stays as the current value, materialized for the readers that need it at once (scoring,
-- the contact view): for every purpose it holds the value of that purpose's newest row here (ConsentHistory.fold;
-- ConsentHistoryTest proves it for every source). Rows are never changed; they go with their contact.
CREATE TABLE contact_consent_history (
  id            bigserial PRIMARY KEY,
  contact_id    uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  -- The consent's name as the source gave it ("newsletter", "linkedin:<consentId>").
  purpose       text NOT NULL,
  -- The value as given (true, false, or whatever else the source sent), so that folding gives back the contact's own.
  value         jsonb NOT NULL,
  -- Consent given only when the value is JSON true, as scoring's minimumConsent reads it; anything else is withheld.
  granted       boolean GENERATED ALWAYS AS (value = 'true'::jsonb) STORED,
  -- form: a marketing page or event (source_id the form id); linkedin_form: a LinkedIn Lead Gen form (its URN);
  -- migration: the consent a contact already had when this table was made (V25).
  source_kind   text NOT NULL CHECK (source_kind IN ('form', 'linkedin_form', 'migration')),
  source_id     text,
  -- The submission it came with: the form's submission key, or the LinkedIn response URN.
  submission_id text,
  -- Who recorded it: intake for submissions, migration for the seed.
  actor         text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_consent_history_of_contact ON contact_consent_history (contact_id, id);

-- Consent that existed before the history: one entry per purpose, at the contact's last change (updated_at), the
-- latest moment the value can have been set; its real source is not known any more.
INSERT INTO contact_consent_history (contact_id, purpose, value, source_kind, actor, at)
SELECT c.id, e.key, e.value, 'migration', 'migration', c.updated_at
  FROM contacts c CROSS JOIN LATERAL jsonb_each(c.consent) e
 WHERE jsonb_typeof(c.consent) = 'object'
 ORDER BY c.id, e.key;

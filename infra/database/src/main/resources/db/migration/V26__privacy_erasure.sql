-- Erasure of a person on request (GDPR Art. 17, docs/privacy.md). What an erasure keeps is its tombstone:
-- no personal data, only what stops an old import or a replayed webhook from silently creating the person
-- again. The hashes are keyed (HMAC-SHA256) with a key that is not kept in this database.

CREATE TABLE erasures (
  id              uuid PRIMARY KEY,
  -- The erased contacts' ids: random ids, named in the contact.erased event so sales tooling can erase too.
  contact_ids     uuid[] NOT NULL,
  erased_at       timestamptz NOT NULL DEFAULT now(),
  reason          text NOT NULL,
  actor           text NOT NULL,
  -- What was removed, by kind ({"contacts": 1, "leads": 2, ...}): numbers only.
  counts          jsonb NOT NULL,
  -- Replays and re-imports of the person refused since.
  refused_count   integer NOT NULL DEFAULT 0,
  last_refused_at timestamptz,
  -- A new submission with fresh consent created the person again: the hashes no longer refuse anything.
  recreated_at    timestamptz
);
-- GET /v1/privacy/erasures lists newest first.
CREATE INDEX erasures_newest ON erasures (erased_at DESC, id DESC);

-- HMAC-SHA256 of 'email:' || email_norm and of 'phone:' || phone_norm of each erased contact: looked up by
-- primary key in intake's and imports' transactions.
CREATE TABLE erasure_hashes (
  hash       bytea PRIMARY KEY,
  erasure_id uuid NOT NULL REFERENCES erasures (id) ON DELETE CASCADE
);
CREATE INDEX erasure_hashes_erasure ON erasure_hashes (erasure_id);

-- The submission and webhook ids seen for the person before the erasure, as interactions name their
-- source ("form:<formId>:<submissionId>", "linkedin:<responseUrn>"): a replay of one is refused.
CREATE TABLE erasure_keys (
  source_key text PRIMARY KEY,
  erasure_id uuid NOT NULL REFERENCES erasures (id) ON DELETE CASCADE
);
CREATE INDEX erasure_keys_erasure ON erasure_keys (erasure_id);

-- contact.erased names a contact, not a lead: an outbox event names one or the other. Its contact is gone by the
-- time it is delivered (which is its point), so contact events lose the foreign key V23 gave them: an erasure
-- deletes the person's other contact events (contact.segment_*) itself, as deleting a contact elsewhere does.
ALTER TABLE outbox DROP CONSTRAINT outbox_contact_id_fkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_about_lead_or_contact;
ALTER TABLE outbox ADD CONSTRAINT outbox_names_lead_or_contact CHECK ((lead_id IS NULL) <> (contact_id IS NULL));

-- A LinkedIn response of an erased person that came again is kept as 'erased' (no answers, no ids).
ALTER TABLE linkedin_responses DROP CONSTRAINT linkedin_responses_outcome_check;
ALTER TABLE linkedin_responses ADD CONSTRAINT linkedin_responses_outcome_check CHECK (outcome IN ('processing',
  'created', 'matched', 'skipped_test_lead', 'ignored_partial_match', 'unmapped', 'deleted', 'erased'));

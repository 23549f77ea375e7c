-- LinkedIn Lead Gen sync (docs/linkedin.md): how each Lead Gen form's answers fill contact fields, the
-- ledger of every form response seen (deduplication, what it created, DELETED), and the poll's state.

-- One mapping per Lead Gen form, keyed by its (unversioned) URN: urn:li:leadGenForm:<id>.
CREATE TABLE linkedin_form_mappings (
  form_urn            text PRIMARY KEY,
  name                text NOT NULL,
  -- {"<questionId or predefined field>": "<contact field>"}; keys and values from fixed lists (domain code);
  -- json, not jsonb: the order of the keys is kept (the first answered question fills a field).
  fields              json NOT NULL,
  contact_strategy_id text NOT NULL REFERENCES matching_strategies (id),
  lead_strategy_id    text NOT NULL REFERENCES matching_strategies (id),
  on_partial_match    text NOT NULL CHECK (on_partial_match IN ('create', 'ignore')),
  include_test_leads  boolean NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- One row per form response (lead) seen, by webhook or poll: LinkedIn notifies more than once and the
-- poll overlaps, so the response URN is the idempotency key. Outcomes 'skipped_test_lead',
-- 'ignored_partial_match' and 'unmapped' are looked at again when the response is seen again (a mapping
-- may have changed since); the others are final. 'deleted' rows are tombstones: a DELETED response is
-- never imported again. The ids are what intake created or matched; no foreign keys, because DELETED
-- removes those records while the tombstone stays.
CREATE TABLE linkedin_responses (
  response_urn    text PRIMARY KEY,
  form_urn        text,
  submitted_at    timestamptz,
  outcome         text NOT NULL CHECK (outcome IN ('processing', 'created', 'matched', 'skipped_test_lead',
                                                   'ignored_partial_match', 'unmapped', 'deleted')),
  contact_id      uuid,
  contact_created boolean NOT NULL DEFAULT false,
  lead_id         uuid,
  lead_created    boolean NOT NULL DEFAULT false,
  interaction_id  uuid,
  -- The intake answer (replays return it) and the answers as mapped (personal data: cleared on DELETED).
  response        jsonb,
  received        jsonb,
  summary         text,
  processed_at    timestamptz NOT NULL DEFAULT now()
);
-- The sync status counts outcomes since the last reset.
CREATE INDEX linkedin_responses_processed ON linkedin_responses (processed_at);
-- DELETED of one response asks whether another response still refers to the same lead or contact.
CREATE INDEX linkedin_responses_lead ON linkedin_responses (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX linkedin_responses_contact ON linkedin_responses (contact_id) WHERE contact_id IS NOT NULL;

-- The poll's state: one row.
CREATE TABLE linkedin_sync_state (
  id                      boolean PRIMARY KEY DEFAULT true CHECK (id),
  -- Every response submitted before this time has been read (a poll starts a little before it).
  watermark               timestamptz,
  last_poll_started_at    timestamptz,
  last_poll_finished_at   timestamptz,
  last_poll_outcome       text CHECK (last_poll_outcome IN ('completed', 'failed')),
  last_poll_responses     integer,
  last_successful_poll_at timestamptz,
  last_error              text,
  last_error_at           timestamptz,
  counts_since            timestamptz NOT NULL DEFAULT now(),
  -- Held by the running poll (until it ends, or this time passes if its process died), so polls never overlap.
  poll_lease_until        timestamptz
);
INSERT INTO linkedin_sync_state DEFAULT VALUES;

-- Segments (docs/segments.md): lists of contacts for customer journeys, found by a definition (dynamic) or
-- kept by hand (static), and their stored membership. Joins and leaves are outbox events about a contact.
CREATE TABLE segments (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              text NOT NULL,
  kind              text NOT NULL CHECK (kind IN ('dynamic', 'static')),
  -- The consent purpose (e.g. 'marketing') a contact must have given to be a member; null: none required.
  requires_consent  text,
  -- The validated definition as the API takes it ({all|any: [...]}), read back through the domain's parser.
  definition        jsonb,
  -- pending: written, membership not yet computed from it; evaluated: membership is the definition's result.
  evaluation_status text NOT NULL DEFAULT 'pending' CHECK (evaluation_status IN ('pending', 'evaluated')),
  evaluated_at      timestamptz,
  -- Kept by every change of segment_members, so lists show counts without counting.
  member_count      integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((kind = 'dynamic') = (definition IS NOT NULL))
);
CREATE INDEX segments_by_creation ON segments (created_at, id);

CREATE TABLE segment_members (
  segment_id uuid NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  -- An erased contact leaves its segments with it.
  contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  joined_at  timestamptz NOT NULL,
  PRIMARY KEY (segment_id, contact_id)
);
-- A contact's segments (GET /v1/contacts/{id}) and the cascade when a contact is erased.
CREATE INDEX segment_members_by_contact ON segment_members (contact_id);

-- Outbox events about a contact (contact.segment_joined, contact.segment_left) have no lead.
ALTER TABLE outbox
  ALTER COLUMN lead_id DROP NOT NULL,
  ADD COLUMN contact_id uuid REFERENCES contacts (id) ON DELETE CASCADE,
  ADD CONSTRAINT outbox_about_lead_or_contact CHECK (lead_id IS NOT NULL OR contact_id IS NOT NULL);
-- Partial: lead events (almost all rows, written by intake) carry no entry.
CREATE INDEX outbox_by_contact ON outbox (contact_id) WHERE contact_id IS NOT NULL;

-- "Contacts with an open opportunity": opportunities are written by sales, never by intake, so this index
-- costs intake nothing. Leads (leads_contact), lead scores (primary key) and interactions
-- (interactions_contact_type_time) already have the indexes the compiled conditions need (docs/segments.md).
CREATE INDEX opportunities_contact ON opportunities (contact_id);

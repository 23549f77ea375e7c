-- The lead business process: stage timeline, transactional outbox, opportunities, and the indexes
-- that keep the telemarketing, sales and stage views fast at millions of leads.

ALTER TABLE leads
  ADD COLUMN disqualification_reason text,
  ADD COLUMN process_id text NOT NULL DEFAULT 'default';

-- Views page by (created_at, id): one index per view, partial where the view filters on flags.
CREATE INDEX leads_view_all ON leads (created_at, id);
CREATE INDEX leads_view_stage ON leads (stage, created_at, id);
CREATE INDEX leads_view_sales ON leads (created_at, id) WHERE status = 'open' AND sales_ready;
CREATE INDEX leads_view_telemarketing ON leads (created_at, id)
  WHERE status = 'open' AND telemarketing_ready AND NOT telemarketing_accepted AND NOT sales_ready;
CREATE INDEX leads_contact ON leads (contact_id);

-- Every stage, flag, owner, status and link change of a lead: its path, readable oldest first.
CREATE TABLE lead_timeline (
  id         bigserial PRIMARY KEY,
  lead_id    uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  field      text NOT NULL,
  from_value text,
  to_value   text,
  at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor      text NOT NULL,
  reason     text
);
CREATE INDEX lead_timeline_lead ON lead_timeline (lead_id, id);

-- Events for subscribers, written in the same transaction as the change they announce; the
-- notification function delivers them.
CREATE TABLE outbox (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type       text NOT NULL,
  lead_id    uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX outbox_created ON outbox (created_at, id);

-- What a converted lead became: sales works the opportunity from here.
CREATE TABLE opportunities (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lead_id    uuid NOT NULL UNIQUE REFERENCES leads (id),
  topic      text NOT NULL,
  contact_id uuid REFERENCES contacts (id),
  account_id uuid REFERENCES accounts (id),
  owner_id   text NOT NULL,
  status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Leadcycle foundation schema: accounts, contacts, leads, interactions, matching strategies,
-- forms (marketing pages and events), intake receipts and the rescoring marker.
-- Normalized match columns (*_norm) are computed by the domain code (io.leadcycle.domain.Normalize),
-- so there is exactly one definition of "the same email".

CREATE TABLE accounts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name           text NOT NULL,
  domain         text,
  industry       text,
  employee_count integer CHECK (employee_count >= 0),
  annual_revenue numeric(20, 2) CHECK (annual_revenue >= 0),
  country        text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_domain ON accounts (lower(domain));

CREATE TABLE contacts (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id        uuid REFERENCES accounts (id),
  email             text,
  first_name        text,
  last_name         text,
  phone             text,
  company_name      text,
  job_title         text,
  country           text,
  attributes        jsonb NOT NULL DEFAULT '{}'::jsonb,
  consent           jsonb,
  email_norm        text,
  first_name_norm   text,
  last_name_norm    text,
  phone_norm        text,
  company_name_norm text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
-- One index per matchable field: any AND of strategy fields starts from one selective column.
CREATE INDEX contacts_email_norm ON contacts (email_norm);
CREATE INDEX contacts_phone_norm ON contacts (phone_norm);
CREATE INDEX contacts_last_name_norm ON contacts (last_name_norm);
CREATE INDEX contacts_company_name_norm ON contacts (company_name_norm);
CREATE INDEX contacts_account ON contacts (account_id);

CREATE TABLE leads (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  topic                  text NOT NULL,
  contact_id             uuid REFERENCES contacts (id),
  account_id             uuid REFERENCES accounts (id),
  context_kind           text NOT NULL CHECK (context_kind IN
                           ('marketing_page', 'event', 'linkedin_form', 'journey', 'campaign', 'manual', 'import')),
  context_id             text,
  context_name           text,
  stage                  text NOT NULL DEFAULT 'inquiry',
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'converted', 'disqualified')),
  sales_ready            boolean NOT NULL DEFAULT false,
  telemarketing_ready    boolean NOT NULL DEFAULT false,
  telemarketing_accepted boolean NOT NULL DEFAULT false,
  sales_accepted         boolean NOT NULL DEFAULT false,
  owner_id               text,
  qualification          jsonb,
  submitted_fields       jsonb NOT NULL DEFAULT '{}'::jsonb,
  version                integer NOT NULL DEFAULT 0,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
-- Lead matching looks for an open lead of a contact in a marketing context.
CREATE INDEX leads_open_by_contact_context ON leads (contact_id, context_id) WHERE status = 'open';
CREATE INDEX leads_account ON leads (account_id);

CREATE TABLE interactions (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  contact_id   uuid NOT NULL REFERENCES contacts (id),
  type         text NOT NULL CHECK (type IN ('email_opened', 'email_clicked', 'form_submitted', 'website_visited',
                                             'event_registered', 'event_attended', 'linkedin_form_submitted')),
  occurred_at  timestamptz NOT NULL,
  context_kind text,
  context_id   text,
  context_name text,
  context_url  text,
  -- Idempotency key from the source (e.g. "form:<formId>:<submissionId>"): a replay cannot count twice.
  source_key   text NOT NULL UNIQUE,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- Behavioural scoring counts one contact's interactions of one type within a time window.
CREATE INDEX interactions_contact_type_time ON interactions (contact_id, type, occurred_at);

CREATE TABLE matching_strategies (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  entity     text NOT NULL CHECK (entity IN ('contact', 'lead')),
  fields     text[] NOT NULL CHECK (cardinality(fields) > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO matching_strategies (id, name, entity, fields) VALUES
  ('default-contact', 'Default contact matching (email)', 'contact', ARRAY['email']),
  ('default-lead', 'Default lead matching (email and marketing context)', 'lead', ARRAY['email', 'marketingContextId']);

-- Marketing pages and events that submit to intake.
CREATE TABLE forms (
  id                              text PRIMARY KEY,
  name                            text NOT NULL,
  kind                            text NOT NULL CHECK (kind IN ('marketing_page', 'event')),
  contact_strategy_id             text NOT NULL REFERENCES matching_strategies (id),
  lead_strategy_id                text NOT NULL REFERENCES matching_strategies (id),
  update_mode                     text NOT NULL CHECK (update_mode IN
                                    ('contacts_and_leads', 'only_contacts', 'only_leads', 'no_update')),
  generate_leads_without_matching boolean NOT NULL,
  require_signature               boolean NOT NULL,
  signing_secret                  text NOT NULL,
  created_at                      timestamptz NOT NULL DEFAULT now(),
  updated_at                      timestamptz NOT NULL DEFAULT now()
);

-- One row per accepted submission: the idempotency record of intake. A replay returns `response`.
CREATE TABLE intake_receipts (
  form_id        text NOT NULL REFERENCES forms (id) ON DELETE CASCADE,
  submission_key text NOT NULL,
  status         integer,
  response       jsonb,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (form_id, submission_key)
);
-- For the retention job that will delete old receipts (not built yet).
CREATE INDEX intake_receipts_created ON intake_receipts (created_at);

-- Contacts whose facts changed since scoring last ran; score recalculation drains it.
CREATE TABLE contacts_to_rescore (
  contact_id uuid PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  marked_at  timestamptz NOT NULL DEFAULT now()
);

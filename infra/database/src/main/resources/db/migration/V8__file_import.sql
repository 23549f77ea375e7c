-- File import of contacts and leads (docs/import.md).

CREATE TABLE imports (
  id                  uuid PRIMARY KEY,
  entity              text NOT NULL CHECK (entity IN ('contacts', 'leads')),
  file_name           text NOT NULL,
  -- The request as given: column overrides, unknown-column policy, account matching, lead context.
  options             jsonb NOT NULL,
  contact_strategy_id text NOT NULL,
  status              text NOT NULL CHECK (status IN ('awaiting_upload', 'running', 'completed',
                                                      'completed_with_errors', 'failed')),
  -- How the file's header was read: each column's target, the columns kept as attributes, the ignored ones.
  columns             jsonb,
  rows_read           bigint NOT NULL DEFAULT 0,
  -- Data rows whose writes have committed: a run taken over after a crash starts after them.
  rows_committed      bigint NOT NULL DEFAULT 0,
  created             bigint NOT NULL DEFAULT 0,
  updated             bigint NOT NULL DEFAULT 0,
  unchanged           bigint NOT NULL DEFAULT 0,
  failed              bigint NOT NULL DEFAULT 0,
  -- Lead imports: what happened to the contacts the rows named.
  contacts_created    bigint NOT NULL DEFAULT 0,
  contacts_updated    bigint NOT NULL DEFAULT 0,
  contacts_unchanged  bigint NOT NULL DEFAULT 0,
  failure             text,
  -- A run holds the job until then and extends it as it goes; another run may take over after it.
  claimed_until       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  started_at          timestamptz,
  finished_at         timestamptz
);
CREATE INDEX imports_created ON imports (created_at DESC, id DESC);

-- Written with the batch they belong to, so a run taken over after a crash never repeats one.
CREATE TABLE import_errors (
  id          bigserial PRIMARY KEY,
  import_id   uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  -- The row as a spreadsheet numbers it: the header is row 1.
  row_number  bigint NOT NULL,
  column_name text,
  value       text,
  reason      text NOT NULL
);
CREATE INDEX import_errors_import ON import_errors (import_id, row_number, id);

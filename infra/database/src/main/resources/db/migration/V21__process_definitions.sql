-- Business processes as definitions (docs/lead-process.md, "Defining a process"): a process is drafted,
-- published and retired like a scoring model. Editing a live process publishes a new version; every version's
-- definition is kept, because leads will run on a version (the next slice) and must not change under them.
-- Ids are text: the shipped process is 'default' (leads.process_id says so already); new ones get a UUID.
CREATE TABLE processes (
  id           text PRIMARY KEY DEFAULT gen_random_uuid()::text,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'retired')),
  -- The latest version: the one shown, and the one a draft edit replaces.
  version      integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- The shipped process: never edited or retired through the API.
  read_only    boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz,
  retired_at   timestamptz
);
CREATE INDEX processes_by_creation ON processes (created_at, id);

-- Each version's definition as the API takes it ({name, stages}), read back through the domain's parser.
CREATE TABLE process_versions (
  process_id   text NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
  version      integer NOT NULL CHECK (version >= 1),
  definition   jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- When this version went live; null while it is a draft.
  published_at timestamptz,
  PRIMARY KEY (process_id, version)
);

-- The shipped process, live from the start; ProcessDefinition.DEFAULT is the same (a test compares them).
INSERT INTO processes (id, status, version, read_only, published_at)
VALUES ('default', 'live', 1, true, clock_timestamp());
INSERT INTO process_versions (process_id, version, definition, published_at)
VALUES ('default', 1, '{
  "name": "Default lead process",
  "stages": [
    {"name": "inquiry", "role": "inquiry", "fields": []},
    {"name": "automated_marketing_qualification", "role": "automated_marketing_qualification", "fields": []},
    {"name": "telemarketing_acceptance", "role": "telemarketing_acceptance", "fields": []},
    {"name": "telemarketing_qualification", "role": "telemarketing_qualification", "fields": [
      {"name": "budget", "type": "text", "requiredToComplete": false},
      {"name": "authority", "type": "text", "requiredToComplete": false},
      {"name": "need", "type": "text", "requiredToComplete": false},
      {"name": "timeframe", "type": "text", "requiredToComplete": false},
      {"name": "notes", "type": "long_text", "requiredToComplete": false}]},
    {"name": "sales_acceptance", "role": "sales_acceptance", "fields": []}
  ]}'::jsonb, clock_timestamp());

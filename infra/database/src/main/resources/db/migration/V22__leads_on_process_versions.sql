-- Leads run on a published process version (docs/lead-process.md): the version beside the process id, and what
-- the lead recorded on its stages' fields ({stage name: {field name: value}}). The qualification findings were
-- the default process's telemarketing-qualification fields all along: they move there, values kept.
--
-- No foreign key from leads to process_versions: every new lead would take a key-share lock on its version's row,
-- which at intake's rate turns into multixact traffic on one hot row; the services check the process instead, and
-- versions are never deleted while a lead may run on them (a process is retired, not deleted).
ALTER TABLE leads
  ADD COLUMN process_version integer NOT NULL DEFAULT 1,
  ADD COLUMN stage_fields    jsonb;

UPDATE leads SET stage_fields = jsonb_build_object('telemarketing_qualification', qualification)
 WHERE qualification IS NOT NULL AND qualification <> '{}'::jsonb;

ALTER TABLE leads DROP COLUMN qualification;

-- Views filtered by a process other than the shipped one; default's leads (most of them) are left out of the index
-- so that intake does not pay for it.
CREATE INDEX leads_view_process ON leads (process_id, created_at, id) WHERE process_id <> 'default';

-- The process a form's leads run on (POST /v1/forms, processId).
ALTER TABLE forms ADD COLUMN process_id text NOT NULL DEFAULT 'default';

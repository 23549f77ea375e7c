-- A job whose run died is resumed once its lease has ended, by the import sweeper (docs/import.md).
-- runs: the runs that took the job; stalled_runs: runs in a row that committed no batch, so that a file
-- that stops every run ends failed instead of being resumed for ever.
ALTER TABLE imports ADD COLUMN runs integer NOT NULL DEFAULT 0,
                    ADD COLUMN stalled_runs integer NOT NULL DEFAULT 0;

-- The sweeper looks for running jobs only: few, whatever the history.
CREATE INDEX imports_running ON imports (created_at) WHERE status = 'running';

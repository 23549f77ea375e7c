-- imports.rows_read was always written equal to rows_committed and never read: the committed rows are
-- the progress a job shows.
ALTER TABLE imports DROP COLUMN rows_read;

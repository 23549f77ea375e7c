-- What an import did to a row without refusing it (docs/import.md): a value left out (junk in an optional
-- cell), attribute columns over the limit, a file uploaded again after the job had finished. One row per
-- kind, column and reason, counted over the job's rows: a wide file with junk in one column makes one
-- warning, not thousands. Written with the batch they belong to, like import_errors.
CREATE TABLE import_warnings (
  id            bigserial PRIMARY KEY,
  import_id     uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('value_left_out', 'attributes_over_limit', 'upload_ignored')),
  -- '' for a warning about no single column.
  column_name   text NOT NULL DEFAULT '',
  reason        text NOT NULL,
  -- The rows it concerns (upload_ignored: the files that arrived).
  rows          bigint NOT NULL,
  -- The first row it concerned and its value there (up to 500 characters).
  example_row   bigint,
  example_value text,
  -- attributes_over_limit: the columns not imported, in the order they were first left out.
  columns       text[],
  UNIQUE (import_id, kind, column_name, reason)
);

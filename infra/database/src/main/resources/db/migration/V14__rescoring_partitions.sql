-- A model's full rescoring split into parts (lead id ranges), so that several score-recalculation runs
-- rescore one model in parallel: a run locks one part per batch (FOR UPDATE SKIP LOCKED), scores the
-- part's next leads and moves its cursor. The parts are made by the first run after publishing, from
-- scoring_models.rescoring_after on (a rescoring begun before this migration continues where it was).
CREATE TABLE rescoring_partitions (
  model_id     uuid NOT NULL REFERENCES scoring_models (id) ON DELETE CASCADE,
  part         integer NOT NULL,
  -- The cursor: the part's leads with an id above after_id remain (NULL: from the first lead).
  after_id     uuid,
  -- The part's last lead id (inclusive); NULL: to the last lead, new ones included.
  last_id      uuid,
  leads_scored bigint NOT NULL DEFAULT 0,
  done         boolean NOT NULL DEFAULT false,
  PRIMARY KEY (model_id, part)
);
CREATE INDEX rescoring_partitions_open ON rescoring_partitions (model_id, part) WHERE NOT done;

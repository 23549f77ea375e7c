-- Lead scoring: models (draft -> live -> retired), the scores they give leads, the rescoring queue's
-- claims, and each lead's best score for the list views.

CREATE TABLE scoring_models (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                  text NOT NULL,
  target                text NOT NULL CHECK (target IN ('contact', 'account')),
  status                text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'retired')),
  -- The validated model as the API takes it (threshold, grades, minimumConsent, rules); read back
  -- through the domain's parser, so there is one definition of what a model may say.
  definition            jsonb NOT NULL,
  copied_from           uuid REFERENCES scoring_models (id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  published_at          timestamptz,
  retired_at            timestamptz,
  -- A full rescoring (after publishing): the leads with an id above rescoring_after remain.
  rescoring_status      text NOT NULL DEFAULT 'idle' CHECK (rescoring_status IN ('idle', 'pending', 'running')),
  rescoring_after       uuid,
  rescoring_leads_scored bigint NOT NULL DEFAULT 0,
  rescoring_started_at  timestamptz,
  rescoring_finished_at timestamptz
);
CREATE INDEX scoring_models_live ON scoring_models (status) WHERE status = 'live';

-- A lead's score in one model, with the per-rule explanation. Retired models' scores stay.
CREATE TABLE lead_scores (
  lead_id     uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  model_id    uuid NOT NULL REFERENCES scoring_models (id),
  score       integer NOT NULL,
  grade       text,
  sales_ready boolean NOT NULL,
  explanation jsonb NOT NULL,
  scored_at   timestamptz NOT NULL,
  PRIMARY KEY (lead_id, model_id)
);
-- The model's score list (export), best first, and by grade.
CREATE INDEX lead_scores_by_model ON lead_scores (model_id, score DESC, lead_id);
CREATE INDEX lead_scores_by_grade ON lead_scores (model_id, grade, score DESC, lead_id);

-- Each lead's best score among live models (and its grade there): what list views filter and sort by.
ALTER TABLE leads
  ADD COLUMN score integer,
  ADD COLUMN grade text;
-- Sorting by score puts unscored leads last (LeadStore.SCORE_KEY).
CREATE INDEX leads_by_score ON leads ((coalesce(score, -2147483648)) DESC, id) WHERE status = 'open';
CREATE INDEX leads_by_grade ON leads (grade, created_at, id) WHERE status = 'open';

-- A run claims marks for a few minutes (a lease) in a short transaction of its own, then scores the
-- leads and deletes the marks it scored, if nobody marked them again meanwhile. Holding no mark
-- locks while locking leads keeps the lock order of intake (lead, then mark): no deadlocks.
ALTER TABLE contacts_to_rescore ADD COLUMN claimed_until timestamptz;
CREATE INDEX contacts_to_rescore_by_time ON contacts_to_rescore (marked_at);

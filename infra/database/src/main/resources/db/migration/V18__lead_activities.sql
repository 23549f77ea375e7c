-- Activities and follow-ups (docs/api.md, "Activities and follow-ups"): calls, notes and emails logged on a
-- lead, each a timeline entry; an activity may set when to follow up. The lead keeps its last activity and its
-- one open follow-up on its own row, so that lists and the due view need no join.
CREATE TABLE lead_activities (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lead_id       uuid NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('call', 'note', 'email')),
  outcome       text CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'wrong_number', 'call_back')),
  note          text,
  follow_up_at  timestamptz,
  -- The user who logged it (no foreign key: a Cognito user may act before GET /v1/me records them), and their
  -- name as shown then, which timelines keep.
  actor_user_id uuid,
  actor_name    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT lead_activities_outcome_of_calls CHECK (outcome IS NULL OR kind = 'call'),
  CONSTRAINT lead_activities_call_back_has_time CHECK (outcome IS DISTINCT FROM 'call_back' OR follow_up_at IS NOT NULL)
);
CREATE INDEX lead_activities_of_lead ON lead_activities (lead_id, created_at, id);

-- An activity's timeline entry points at it (field 'activity'); deleting the lead deletes both.
ALTER TABLE lead_timeline ADD COLUMN activity_id uuid REFERENCES lead_activities (id) ON DELETE CASCADE;

ALTER TABLE leads
  ADD COLUMN last_activity_kind      text,
  ADD COLUMN last_activity_outcome   text,
  ADD COLUMN last_activity_at        timestamptz,
  ADD COLUMN last_activity_actor     text,
  -- The open follow-up: when, for whom, set by which activity; a newer follow-up replaces it.
  ADD COLUMN follow_up_at            timestamptz,
  ADD COLUMN follow_up_user_id       uuid,
  ADD COLUMN follow_up_user_name     text,
  ADD COLUMN follow_up_activity_id   uuid,
  -- When threshold notification wrote its lead.follow_up_due event: set once per follow-up, by the claim.
  ADD COLUMN follow_up_due_notified_at timestamptz;

-- The view "due": one user's open follow-ups, soonest first.
CREATE INDEX leads_follow_ups_by_user ON leads (follow_up_user_id, follow_up_at, id)
  WHERE status = 'open' AND follow_up_at IS NOT NULL;
-- sort=due on other views has no index of its own: it sorts the view's rows (read through the view's index).
-- An index over every lead would cost each intake insert (measured: docs/performance.md) for an order that
-- queues rarely use.
-- The claim of follow-ups coming due: only those not yet announced.
CREATE INDEX leads_follow_ups_to_announce ON leads (follow_up_at)
  WHERE follow_up_due_notified_at IS NULL AND follow_up_at IS NOT NULL;

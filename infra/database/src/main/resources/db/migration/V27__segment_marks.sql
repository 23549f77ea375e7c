-- Contacts whose segment facts changed since segment evaluation last ran (docs/segments.md, "Marks"). Written
-- by the same statements that mark contacts_to_rescore (store.RescoringMarks), plus lead changes scoring does
-- not care about (stage, status, owner) and rescored contacts (their scores changed). A table of its own
-- rather than a second claim column on contacts_to_rescore: each function claims and clears its marks at its
-- own pace, and neither's clearing can take a mark from the other.
CREATE TABLE contacts_to_resegment (
  contact_id    uuid PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
  marked_at     timestamptz NOT NULL DEFAULT now(),
  -- Held by a segment-evaluation run until then (a lease, as contacts_to_rescore's); NULL: free.
  claimed_until timestamptz
);
-- As contacts_to_rescore's (V20): free marks by age, held marks by the end of their lease.
CREATE INDEX contacts_to_resegment_free ON contacts_to_resegment (marked_at) WHERE claimed_until IS NULL;
CREATE INDEX contacts_to_resegment_held ON contacts_to_resegment (claimed_until) WHERE claimed_until IS NOT NULL;

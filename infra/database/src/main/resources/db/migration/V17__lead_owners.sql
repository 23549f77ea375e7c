-- Owners and assignments (docs/api.md, "Work on leads"): the user who works a lead. Accepting in
-- telemarketing makes the caller the owner; a sales manager assigns, reassigns and unassigns. The
-- owner's name is kept as it was shown when assigned, so lists need no join and a renamed user's old
-- leads still read as they did. owner_id (V1) stays: the free-text owner that accept-sales records.
ALTER TABLE leads
  ADD COLUMN owner_user_id uuid REFERENCES users (id),
  ADD COLUMN owner_name    text;

-- The views "mine" and "my calls": one user's open leads.
CREATE INDEX leads_open_by_owner_user ON leads (owner_user_id, created_at, id) WHERE status = 'open';

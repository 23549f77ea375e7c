-- A form's signing secret can be rotated: the secret it replaces keeps being accepted until
-- previous_secret_expires_at, so senders switch without losing submissions. Only one previous secret
-- is kept (a second rotation within the overlap replaces it). Both null: never rotated.
ALTER TABLE forms
  ADD COLUMN previous_signing_secret    text,
  ADD COLUMN previous_secret_expires_at timestamptz,
  ADD CONSTRAINT forms_previous_secret_has_expiry
    CHECK ((previous_signing_secret IS NULL) = (previous_secret_expires_at IS NULL));

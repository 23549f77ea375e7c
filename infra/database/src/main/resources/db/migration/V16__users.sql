-- The people who use Leadcycle and their roles (docs/api.md, "People and roles"). Locally an admin manages
-- them (POST /v1/users) and each has a token of their own, kept only as its SHA-256 hash: the token is
-- shown once, when made. In AWS, Cognito keeps the users; a row here records a Cognito user the first time
-- they ask who they are (GET /v1/me), so that owner pickers (GET /v1/users) can list them.
CREATE TABLE users (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  email       text,
  roles       text[] NOT NULL DEFAULT '{}',
  -- SHA-256 of the user's token, hex; NULL for a user whose identity provider holds their sign-in.
  token_hash  text UNIQUE,
  -- The user of the first start's token (LEADCYCLE_API_TOKEN or <data dir>/api-token): always an admin.
  first_start boolean NOT NULL DEFAULT false,
  -- 'local' (made with POST /v1/users) or 'cognito' (seen in a verified token).
  source      text NOT NULL DEFAULT 'local',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  -- A disabled user's token stops working at once; the row stays, as timelines name them.
  disabled_at timestamptz,
  CONSTRAINT users_roles_known CHECK (roles <@ ARRAY['marketing', 'telemarketing', 'sales', 'sales_manager', 'admin']::text[])
);
CREATE UNIQUE INDEX users_one_first_start ON users (first_start) WHERE first_start;

-- Threshold notification: subscribers (signed outbound webhooks), one delivery per (outbox event,
-- subscriber) and every attempt at it.

CREATE TABLE subscribers (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  url                        text NOT NULL,
  -- Event types ('lead.sales_ready', ...) or '*' for all.
  events                     text[] NOT NULL CHECK (cardinality(events) > 0),
  description                text,
  disabled                   boolean NOT NULL DEFAULT false,
  -- Why it was disabled: by hand, or the receiver answered 410 Gone.
  disabled_reason            text,
  secret                     text NOT NULL,
  -- After a rotation the old secret keeps signing beside the new one until it expires.
  previous_secret            text,
  previous_secret_expires_at timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now()
);

-- Outbox rows are fanned out to the subscribers of their type once.
ALTER TABLE outbox ADD COLUMN fanned_out_at timestamptz;
CREATE INDEX outbox_to_fan_out ON outbox (created_at, id) WHERE fanned_out_at IS NULL;

CREATE TABLE deliveries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  outbox_id       uuid NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  subscriber_id   uuid NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- A runner's lease while it sends; another runner skips the delivery until it ends.
  claimed_until   timestamptz,
  last_status     integer,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  UNIQUE (outbox_id, subscriber_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_of_subscriber ON deliveries (subscriber_id, created_at DESC, id);
CREATE INDEX deliveries_created ON deliveries (created_at);

CREATE TABLE delivery_attempts (
  id           bigserial PRIMARY KEY,
  delivery_id  uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  -- The receiver's status, or null with the network error (timeout, refused, address not allowed).
  http_status  integer,
  error        text,
  duration_ms  integer NOT NULL
);
CREATE INDEX delivery_attempts_of_delivery ON delivery_attempts (delivery_id, id);

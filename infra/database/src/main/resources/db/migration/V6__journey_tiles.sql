-- Journey "create lead" tiles (docs/journeys.md).

-- Where a journey lead came from beyond its context's kind, id and name: the tile that created it, and
-- what the journey engine told about the lead (a flat JSON object), shown in the lead's context.
ALTER TABLE leads
  ADD COLUMN context_tile_id text,
  ADD COLUMN context_details jsonb;

-- One lead per (journey, tile, contact) or, in account mode, per (journey, tile, account). The key is
-- claimed before the lead is inserted, in the same transaction: a replay, or the same event delivered
-- twice at once, finds (or waits for) the claim and creates nothing. The lead reference is checked at
-- commit (the claim is written first) and is set null, not cascaded, if the lead is ever deleted, so
-- that a replay after a deletion still creates nothing.
CREATE TABLE journey_tile_leads (
  journey_id  text NOT NULL,
  tile_id     text NOT NULL,
  created_for text NOT NULL CHECK (created_for IN ('contact', 'account')),
  target_id   uuid NOT NULL,
  lead_id     uuid REFERENCES leads (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  -- When the contact passed the tile (the event's occurredAt); created_at is when the lead was made.
  occurred_at timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (journey_id, tile_id, created_for, target_id)
);
CREATE INDEX journey_tile_leads_lead ON journey_tile_leads (lead_id);

-- The benchmark's PostgreSQL baseline: the tables a host would hand-write.
CREATE TABLE IF NOT EXISTS raw_level (
  sku text NOT NULL, location_id text NOT NULL,
  on_hand bigint NOT NULL, allocated bigint NOT NULL DEFAULT 0, reserved bigint NOT NULL DEFAULT 0,
  damaged bigint NOT NULL DEFAULT 0, safety_stock bigint NOT NULL DEFAULT 0, version bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (sku, location_id));
CREATE TABLE IF NOT EXISTS raw_hold (id text PRIMARY KEY, skus text[] NOT NULL, quantity bigint NOT NULL,
  status text NOT NULL, expires_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS raw_ledger (id bigserial PRIMARY KEY, sku text NOT NULL, location_id text NOT NULL,
  kind text NOT NULL, delta bigint NOT NULL, reference text, occurred_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS raw_outbox (id uuid PRIMARY KEY, aggregatetype text NOT NULL, aggregateid text NOT NULL,
  type text NOT NULL, payload jsonb NOT NULL, seq bigserial);

-- Version 1 of the inventory schema (DESIGN sections 2-6).
-- ${t} stands for "schema.prefix" and ${p} for the table prefix alone; both are validated identifiers.
-- Identifiers use the "C" collation so that the database sorts them exactly like Java's String.compareTo:
-- every statement that locks several levels locks them in that one order.

-- One row per SKU x location. The CHECK constraints enforce I1 and I2 as a last line of defence;
-- the store never relies on them (a violation means a bug and is reported as such).
CREATE TABLE ${t}stock_levels (
    sku               varchar(64) COLLATE "C" NOT NULL,
    location_id       varchar(64) COLLATE "C" NOT NULL,
    on_hand           bigint      NOT NULL,
    allocated         bigint      NOT NULL,
    reserved          bigint      NOT NULL,
    damaged           bigint      NOT NULL,
    safety_stock      bigint      NOT NULL,
    in_transit_in     bigint      NOT NULL,
    in_transit_out    bigint      NOT NULL,
    reorder_point     bigint      NOT NULL,
    max_stock         bigint      NOT NULL,
    sellable          boolean     NOT NULL,
    receiving_blocked boolean     NOT NULL,
    version           bigint      NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT ${p}stock_levels_pk PRIMARY KEY (sku, location_id),
    CONSTRAINT ${p}stock_levels_ids CHECK (sku ~ '^[A-Za-z0-9._-]{1,64}$' AND location_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    CONSTRAINT ${p}stock_levels_i1_non_negative CHECK (
        on_hand >= 0 AND allocated >= 0 AND reserved >= 0 AND damaged >= 0 AND safety_stock >= 0
        AND in_transit_in >= 0 AND in_transit_out >= 0 AND reorder_point >= 0 AND max_stock >= 0 AND version >= 0),
    CONSTRAINT ${p}stock_levels_i2_not_overpromised CHECK (allocated + reserved + damaged <= on_hand)
);

-- One row per hold; the partial index is the sweeper's queue of holds that still count in reserved.
CREATE TABLE ${t}reservations (
    id         varchar(128) COLLATE "C" NOT NULL,
    status     varchar(16)  NOT NULL,
    cart_id    varchar(128),
    user_id    varchar(128),
    order_id   varchar(128),
    created_at timestamptz  NOT NULL,
    expires_at timestamptz  NOT NULL,
    updated_at timestamptz  NOT NULL,
    CONSTRAINT ${p}reservations_pk PRIMARY KEY (id),
    CONSTRAINT ${p}reservations_status CHECK (
        status IN ('ACTIVE', 'PENDING', 'CONFIRMED', 'FULFILLED', 'RELEASED', 'EXPIRED', 'CANCELLED'))
);
CREATE INDEX ${p}reservations_due ON ${t}reservations (expires_at, id) WHERE status IN ('ACTIVE', 'PENDING');

CREATE TABLE ${t}reservation_lines (
    reservation_id varchar(128) COLLATE "C" NOT NULL,
    sku            varchar(64)  COLLATE "C" NOT NULL,
    location_id    varchar(64)  COLLATE "C" NOT NULL,
    quantity       bigint       NOT NULL,
    CONSTRAINT ${p}reservation_lines_pk PRIMARY KEY (reservation_id, sku, location_id),
    CONSTRAINT ${p}reservation_lines_hold FOREIGN KEY (reservation_id) REFERENCES ${t}reservations (id),
    CONSTRAINT ${p}reservation_lines_quantity CHECK (quantity > 0)
);
CREATE INDEX ${p}reservation_lines_level ON ${t}reservation_lines (sku, location_id);

-- I5: every change of on_hand is a row; the deltas of a level sum to its on_hand. Append-only.
CREATE TABLE ${t}ledger (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    sku           varchar(64)  COLLATE "C" NOT NULL,
    location_id   varchar(64)  COLLATE "C" NOT NULL,
    kind          varchar(16)  NOT NULL,
    delta         bigint       NOT NULL,
    on_hand_after bigint       NOT NULL,
    version       bigint       NOT NULL,
    reference     varchar(128),
    event_id      varchar(128),
    occurred_at   timestamptz  NOT NULL,
    CONSTRAINT ${p}ledger_pk PRIMARY KEY (id),
    CONSTRAINT ${p}ledger_kind CHECK (
        kind IN ('RECEIPT', 'ADJUSTMENT', 'CYCLE_COUNT', 'FULFILMENT', 'TRANSFER_OUT', 'TRANSFER_IN', 'DAMAGE', 'SETTINGS')),
    CONSTRAINT ${p}ledger_on_hand_after CHECK (on_hand_after >= 0)
);
CREATE INDEX ${p}ledger_level ON ${t}ledger (sku, location_id, id);

CREATE FUNCTION ${t}ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the inventory ledger is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER ${p}ledger_no_update_or_delete BEFORE UPDATE OR DELETE ON ${t}ledger
    FOR EACH ROW EXECUTE FUNCTION ${t}ledger_append_only();
CREATE TRIGGER ${p}ledger_no_truncate BEFORE TRUNCATE ON ${t}ledger
    FOR EACH STATEMENT EXECUTE FUNCTION ${t}ledger_append_only();

-- The transactional outbox. The first five columns are the defaults of Debezium's outbox event router
-- (id, aggregatetype, aggregateid, type, payload), so CDC can read this table as it is; the others are
-- ours: the level version the event carries, when the change happened, the order for the library's
-- relay (seq), and when that relay saw the broker acknowledge the record.
CREATE TABLE ${t}outbox (
    id                uuid         NOT NULL,
    aggregatetype     varchar(255) NOT NULL,
    aggregateid       varchar(255) NOT NULL,
    type              varchar(255) NOT NULL,
    payload           jsonb        NOT NULL,
    aggregate_version bigint       NOT NULL,
    occurred_at       timestamptz  NOT NULL,
    seq               bigint GENERATED ALWAYS AS IDENTITY,
    published_at      timestamptz,
    CONSTRAINT ${p}outbox_pk PRIMARY KEY (id),
    CONSTRAINT ${p}outbox_seq_key UNIQUE (seq)
);
CREATE INDEX ${p}outbox_unpublished ON ${t}outbox (seq) WHERE published_at IS NULL;
CREATE INDEX ${p}outbox_unpublished_by_aggregate ON ${t}outbox (aggregateid, seq) WHERE published_at IS NULL;

-- Inbound event ids already applied (idempotent consumers): inserted in the same transaction as the change.
CREATE TABLE ${t}processed_events (
    event_id     varchar(128) COLLATE "C" NOT NULL,
    processed_at timestamptz  NOT NULL,
    CONSTRAINT ${p}processed_events_pk PRIMARY KEY (event_id)
);

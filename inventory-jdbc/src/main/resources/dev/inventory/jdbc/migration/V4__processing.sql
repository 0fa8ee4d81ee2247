-- Version 4: durable state of the event processors (core package dev.inventory.core.processing).

-- Inbound warehouse/order event ids the processors settled (PostgresProcessedEvents): a redelivery,
-- also after a restart, is answered as a duplicate. Separate from processed_events, which the stock
-- commands write in their own transactions under ids of their own.
CREATE TABLE ${t}processor_events (
    event_id     varchar(256) COLLATE "C" NOT NULL,
    processed_at timestamptz  NOT NULL,
    CONSTRAINT ${p}processor_events_pk PRIMARY KEY (event_id)
);
CREATE INDEX ${p}processor_events_age ON ${t}processor_events (processed_at);

-- The backorder queue (PostgresBackorderQueue): requests waiting for stock, in arrival order (seq).
CREATE TABLE ${t}backorders (
    reservation_id      varchar(128) COLLATE "C" NOT NULL,
    seq                 bigint GENERATED ALWAYS AS IDENTITY,
    accepted_at         timestamptz  NOT NULL,
    confirm_when_served boolean      NOT NULL,
    cart_id             varchar(128),
    user_id             varchar(128),
    order_id            varchar(128),
    hold_ns             bigint,
    CONSTRAINT ${p}backorders_pk PRIMARY KEY (reservation_id),
    CONSTRAINT ${p}backorders_seq_key UNIQUE (seq),
    CONSTRAINT ${p}backorders_hold CHECK (hold_ns IS NULL OR hold_ns > 0)
);

CREATE TABLE ${t}backorder_lines (
    reservation_id varchar(128) COLLATE "C" NOT NULL,
    sku            varchar(64)  COLLATE "C" NOT NULL,
    location_id    varchar(64)  COLLATE "C" NOT NULL,
    quantity       bigint       NOT NULL,
    seq            bigint       NOT NULL,
    CONSTRAINT ${p}backorder_lines_pk PRIMARY KEY (reservation_id, sku, location_id),
    CONSTRAINT ${p}backorder_lines_backorder FOREIGN KEY (reservation_id) REFERENCES ${t}backorders (reservation_id)
        ON DELETE CASCADE,
    CONSTRAINT ${p}backorder_lines_quantity CHECK (quantity > 0)
);
-- waiting(sku, location) in arrival order, and the queued quantity of a SKU (and of a level)
CREATE INDEX ${p}backorder_lines_level ON ${t}backorder_lines (sku, location_id, seq) INCLUDE (quantity);

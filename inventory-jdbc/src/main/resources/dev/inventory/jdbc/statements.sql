-- Every statement the PostgreSQL store runs, one per "-- name:" section.
-- ${schema} is the schema, ${p} the table prefix, ${t} both ("schema.prefix"); all are validated identifiers.
-- Every domain time is a parameter from the caller's clock: no statement reads now() for one.

-- ============================================================== migrations

-- name: schema_exists
SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?

-- name: create_schema
CREATE SCHEMA IF NOT EXISTS ${schema}

-- name: migration_lock
SELECT pg_advisory_xact_lock(?)

-- name: version_table_exists
SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?

-- name: create_version_table
CREATE TABLE IF NOT EXISTS ${t}schema_version (
    version      integer      NOT NULL,
    script       varchar(200) NOT NULL,
    installed_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT ${p}schema_version_pk PRIMARY KEY (version)
)

-- name: current_version
SELECT coalesce(max(version), 0) FROM ${t}schema_version

-- name: record_version
INSERT INTO ${t}schema_version (version, script) VALUES (?, ?)

-- ============================================================== levels

-- name: level
SELECT sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
       reorder_point, max_stock, sellable, receiving_blocked, version, updated_at
FROM ${t}stock_levels
WHERE sku = ? AND location_id = ?

-- name: levels
SELECT sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
       reorder_point, max_stock, sellable, receiving_blocked, version, updated_at
FROM ${t}stock_levels
WHERE sku = ?
ORDER BY location_id

-- Locks the levels named by the two arrays (sku[i], location_id[i]) in the one canonical order
-- (SKU, then location, "C" collation): two transactions never wait on each other's levels in a cycle.
-- name: lock_levels
SELECT s.sku, s.location_id, s.on_hand, s.allocated, s.reserved, s.damaged, s.safety_stock, s.in_transit_in,
       s.in_transit_out, s.reorder_point, s.max_stock, s.sellable, s.receiving_blocked, s.version, s.updated_at
FROM ${t}stock_levels AS s
JOIN unnest(?::text[], ?::text[]) AS k (sku, location_id) ON s.sku = k.sku AND s.location_id = k.location_id
ORDER BY s.sku, s.location_id
FOR UPDATE OF s

-- The same for a few levels (up to Sql.MAX_VALUES), one (sku, location_id) pair of scalar parameters per
-- level in place of ${keys}: the planner knows how many rows the list has, so the cached generic plan
-- costs what a fresh plan would and PostgreSQL keeps it (with the arrays it planned afresh every call).
-- name: lock_levels_values
SELECT s.sku, s.location_id, s.on_hand, s.allocated, s.reserved, s.damaged, s.safety_stock, s.in_transit_in,
       s.in_transit_out, s.reorder_point, s.max_stock, s.sellable, s.receiving_blocked, s.version, s.updated_at
FROM ${t}stock_levels AS s
JOIN (VALUES ${keys}) AS k (sku, location_id) ON s.sku = k.sku AND s.location_id = k.location_id
ORDER BY s.sku, s.location_id
FOR UPDATE OF s

-- The same for one level: a statement with scalar parameters, whose plan PostgreSQL caches.
-- name: lock_level
SELECT sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
       reorder_point, max_stock, sellable, receiving_blocked, version, updated_at
FROM ${t}stock_levels
WHERE sku = ? AND location_id = ?
FOR UPDATE

-- Locks a hold, then the levels of its lines in the canonical order, in one statement: one row per level, each
-- with the hold and its lines (columns 1-11) and the level (12-26). The hold is locked first (the CTE), then
-- each line's level through its primary key in the order of the hold's arrays, which is the canonical order,
-- like every transition. Written as a nested loop on purpose: a join of the arrays with stock_levels let the
-- planner pick a sequential scan of the levels while the table was small, and keep that generic plan. No row:
-- no hold, or (a bug) none of its levels exists; reservation_for_update tells which.
-- name: lock_hold_and_levels
WITH h AS MATERIALIZED (
    SELECT r.id, r.status, r.cart_id, r.user_id, r.order_id, r.created_at, r.expires_at, r.updated_at,
           r.line_skus, r.line_locations, r.line_quantities
    FROM ${t}reservations AS r
    WHERE r.id = ?
    FOR UPDATE
)
SELECT h.id, h.status, h.cart_id, h.user_id, h.order_id, h.created_at, h.expires_at, h.updated_at,
       h.line_skus, h.line_locations, h.line_quantities,
       s.sku, s.location_id, s.on_hand, s.allocated, s.reserved, s.damaged, s.safety_stock, s.in_transit_in,
       s.in_transit_out, s.reorder_point, s.max_stock, s.sellable, s.receiving_blocked, s.version, s.updated_at
FROM h
CROSS JOIN LATERAL unnest(h.line_skus, h.line_locations) AS l (sku, location_id)
CROSS JOIN LATERAL (SELECT x.sku, x.location_id, x.on_hand, x.allocated, x.reserved, x.damaged, x.safety_stock,
                           x.in_transit_in, x.in_transit_out, x.reorder_point, x.max_stock, x.sellable,
                           x.receiving_blocked, x.version, x.updated_at
                    FROM ${t}stock_levels AS x
                    WHERE x.sku = l.sku AND x.location_id = l.location_id
                    FOR UPDATE) AS s

-- Creates the missing levels a stock command targets as version-0 rows, in the canonical order; the
-- command then locks and updates them in the same transaction, or rolls back (nothing stays behind).
-- name: insert_missing_levels
INSERT INTO ${t}stock_levels (sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in,
                              in_transit_out, reorder_point, max_stock, sellable, receiving_blocked, version, updated_at)
SELECT k.sku, k.location_id, 0, 0, 0, 0, 0, 0, 0, 0, 0, true, false, 0, ?
FROM unnest(?::text[], ?::text[]) AS k (sku, location_id)
ORDER BY k.sku COLLATE "C", k.location_id COLLATE "C"
ON CONFLICT (sku, location_id) DO NOTHING

-- ============================================================== writes

-- Every write of one operation goes out as one statement (one round trip): WITH followed by the
-- fragments below that the operation needs ("write.*", each a data-modifying CTE returning one row per
-- row written), then write.check, which fails the statement unless every fragment wrote exactly the
-- rows the store meant to write; for an idempotent call a COMMIT follows in the same round trip (the
-- server skips it when the statement failed). Level updates are guarded by the version the transaction
-- locked, hold changes by the state they leave; outbox rows (one per event) and ledger rows keep the
-- order of the arrays. One level, event or hold change is written with scalar parameters (cheaper
-- to bind and to parse than arrays); for a level or a hold the plan then always uses the primary key, where a generic plan joining an array planned while the table was small would
-- keep scanning the whole table as it grows.

-- name: write.level
level_rows AS (
    UPDATE ${t}stock_levels
    SET on_hand = ?, allocated = ?, reserved = ?, damaged = ?, safety_stock = ?, in_transit_in = ?,
        in_transit_out = ?, reorder_point = ?, max_stock = ?, sellable = ?, receiving_blocked = ?, version = ?,
        updated_at = ?
    WHERE sku = ? AND location_id = ? AND version = ?
    RETURNING 1
)

-- name: write.levels
level_rows AS (
    UPDATE ${t}stock_levels AS s
    SET on_hand = u.on_hand, allocated = u.allocated, reserved = u.reserved, damaged = u.damaged,
        safety_stock = u.safety_stock, in_transit_in = u.in_transit_in, in_transit_out = u.in_transit_out,
        reorder_point = u.reorder_point, max_stock = u.max_stock, sellable = u.sellable,
        receiving_blocked = u.receiving_blocked, version = u.version, updated_at = u.updated_at
    FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], ?::boolean[], ?::bigint[], ?::timestamptz[],
                ?::bigint[])
         AS u (sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
               reorder_point, max_stock, sellable, receiving_blocked, version, updated_at, locked_version)
    WHERE s.sku = u.sku AND s.location_id = u.location_id AND s.version = u.locked_version
    RETURNING 1
)

-- A few levels (up to Sql.MAX_VALUES): ${rows} stands for one row of parameters per level, in the column order
-- below. Scalar parameters cost less to send and to read than arrays, and the planner knows the row count.
-- name: write.levels_values
level_rows AS (
    UPDATE ${t}stock_levels AS s
    SET on_hand = u.on_hand, allocated = u.allocated, reserved = u.reserved, damaged = u.damaged,
        safety_stock = u.safety_stock, in_transit_in = u.in_transit_in, in_transit_out = u.in_transit_out,
        reorder_point = u.reorder_point, max_stock = u.max_stock, sellable = u.sellable,
        receiving_blocked = u.receiving_blocked, version = u.version, updated_at = u.updated_at
    FROM (VALUES ${rows})
         AS u (sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
               reorder_point, max_stock, sellable, receiving_blocked, version, updated_at, locked_version)
    WHERE s.sku = u.sku AND s.location_id = u.location_id AND s.version = u.locked_version
    RETURNING 1
)

-- name: write.levels_values.row
(?::text, ?::text, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint, ?::bigint,
 ?::boolean, ?::boolean, ?::bigint, ?::timestamptz, ?::bigint)

-- name: write.ledger
ledger_rows AS (
    INSERT INTO ${t}ledger (sku, location_id, kind, delta, on_hand_after, version, reference, event_id, occurred_at)
    SELECT u.sku, u.location_id, u.kind, u.delta, u.on_hand_after, u.version, u.reference, u.event_id, u.occurred_at
    FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[],
                ?::timestamptz[])
         WITH ORDINALITY AS u (sku, location_id, kind, delta, on_hand_after, version, reference, event_id,
                               occurred_at, n)
    ORDER BY u.n
    RETURNING 1
)

-- name: write.event
outbox_rows AS (
    INSERT INTO ${t}outbox (id, aggregatetype, aggregateid, type, payload, aggregate_version, occurred_at)
    VALUES (?::uuid, 'inventory', ?, ?, ?::jsonb, ?, ?)
    RETURNING 1
)

-- name: write.outbox
outbox_rows AS (
    INSERT INTO ${t}outbox (id, aggregatetype, aggregateid, type, payload, aggregate_version, occurred_at)
    SELECT u.id, 'inventory', u.aggregateid, u.type, u.payload::jsonb, u.aggregate_version, u.occurred_at
    FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[])
         WITH ORDINALITY AS u (id, aggregateid, type, payload, aggregate_version, occurred_at, n)
    ORDER BY u.n
    RETURNING 1
)

-- A few events (up to Sql.MAX_VALUES), one row each in event order (a multi-row VALUES inserts in its order).
-- name: write.outbox_values
outbox_rows AS (
    INSERT INTO ${t}outbox (id, aggregatetype, aggregateid, type, payload, aggregate_version, occurred_at)
    VALUES ${rows}
    RETURNING 1
)

-- name: write.outbox_values.row
(?::uuid, 'inventory', ?, ?, ?::jsonb, ?::bigint, ?::timestamptz)

-- name: write.hold
hold_rows AS (
    UPDATE ${t}reservations
    SET status = ?, expires_at = ?, updated_at = ?
    WHERE id = ? AND status = ?
    RETURNING 1
)

-- name: write.holds
hold_rows AS (
    UPDATE ${t}reservations AS r
    SET status = u.status, expires_at = u.expires_at, updated_at = u.updated_at
    FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
         AS u (id, from_status, status, expires_at, updated_at)
    WHERE r.id = u.id AND r.status = u.from_status
    RETURNING 1
)

-- The statement after the fragments: one expected count per fragment as parameters. A mismatch (a bug)
-- fails the statement with a cast error whose text starts with "inventory write check failed" (plain SQL
-- cannot raise), which the store reports as such and rolls back.
-- name: write.check
SELECT CASE WHEN ${expected} THEN 0
            ELSE ('inventory write check failed: wrote ' || ${actual} || ' rows')::int END
FROM (SELECT ${written}) AS n

-- ============================================================== reservations

-- The idempotency check of reserve, before any stock check: a second transaction inserting the same id
-- waits for the first and then fails on the primary key (a plain insert: no speculative insertion, whose
-- extra index probe and confirmation record every reserve paid), which the store takes for "exists".
-- The hold's lines are in its row: ${skus}, ${locations} and ${quantities} each stand for one scalar
-- parameter per line (Sql#insertReservation), in the canonical order.
-- name: insert_reservation
INSERT INTO ${t}reservations (id, status, cart_id, user_id, order_id, created_at, expires_at, updated_at,
                              line_skus, line_locations, line_quantities)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ARRAY[${skus}]::varchar[], ARRAY[${locations}]::varchar[], ARRAY[${quantities}]::bigint[])

-- A hold, one row per line (its arrays hold the lines in the canonical order).
-- name: reservation
SELECT r.id, r.status, r.cart_id, r.user_id, r.order_id, r.created_at, r.expires_at, r.updated_at,
       l.sku, l.location_id, l.quantity
FROM ${t}reservations AS r
CROSS JOIN LATERAL unnest(r.line_skus, r.line_locations, r.line_quantities) AS l (sku, location_id, quantity)
WHERE r.id = ?

-- name: reservation_for_update
SELECT r.id, r.status, r.cart_id, r.user_id, r.order_id, r.created_at, r.expires_at, r.updated_at,
       l.sku, l.location_id, l.quantity
FROM ${t}reservations AS r
CROSS JOIN LATERAL unnest(r.line_skus, r.line_locations, r.line_quantities) AS l (sku, location_id, quantity)
WHERE r.id = ?
FOR UPDATE OF r

-- Due holds with a line on one of the given levels (lazy expiry), oldest first: the due holds come from the
-- sweeper's queue index (only holds still counting in reserved), their lines from their rows.
-- name: due_on_levels
SELECT r.id, r.expires_at
FROM ${t}reservations AS r
WHERE EXISTS (SELECT 1
              FROM unnest(r.line_skus, r.line_locations) AS l (sku, location_id)
              JOIN unnest(?::text[], ?::text[]) AS k (sku, location_id)
                ON l.sku = k.sku AND l.location_id = k.location_id)
  AND r.status IN ('ACTIVE', 'PENDING') AND r.expires_at <= ?
ORDER BY r.expires_at, r.id

-- The sweeper's batch: due holds, oldest first, skipping those another sweeper (or a transition) holds,
-- so that each due hold is expired exactly once however many instances sweep.
-- name: lock_due
WITH due AS (
    SELECT r.id, r.status, r.cart_id, r.user_id, r.order_id, r.created_at, r.expires_at, r.updated_at,
           r.line_skus, r.line_locations, r.line_quantities
    FROM ${t}reservations AS r
    WHERE r.status IN ('ACTIVE', 'PENDING') AND r.expires_at <= ?
    ORDER BY r.expires_at, r.id
    LIMIT ?
    FOR UPDATE SKIP LOCKED
)
SELECT d.id, d.status, d.cart_id, d.user_id, d.order_id, d.created_at, d.expires_at, d.updated_at,
       l.sku, l.location_id, l.quantity
FROM due AS d
CROSS JOIN LATERAL unnest(d.line_skus, d.line_locations, d.line_quantities) WITH ORDINALITY
     AS l (sku, location_id, quantity, n)
ORDER BY d.expires_at, d.id, l.n

-- ============================================================== stock commands

-- name: insert_processed_event
INSERT INTO ${t}processed_events (event_id, processed_at) VALUES (?, ?)
ON CONFLICT (event_id) DO NOTHING

-- A cycle count reads the newest ledger rows of its level until it reaches the count's instant.
-- name: ledger_newest_first
SELECT delta, occurred_at
FROM ${t}ledger
WHERE sku = ? AND location_id = ?
ORDER BY id DESC

-- name: ledger
SELECT sku, location_id, kind, delta, on_hand_after, version, reference, event_id, occurred_at
FROM ${t}ledger
WHERE sku = ? AND location_id = ?
ORDER BY id

-- ============================================================== outbox

-- The oldest unpublished records no other relay holds.
-- name: outbox_lock_batch
SELECT id, aggregatetype, aggregateid, type, payload::text, aggregate_version, occurred_at, seq
FROM ${t}outbox
WHERE published_at IS NULL
ORDER BY seq
LIMIT ?
FOR UPDATE SKIP LOCKED

-- Aggregates of the batch that still have an older unpublished record outside it (held by another
-- relay): their records must wait, or they would overtake it. Such a record is below the batch's highest
-- first seq (the last parameter), so this reads only a range of the unpublished queue: the records in flight.
-- name: outbox_blocked_aggregates
SELECT DISTINCT o.aggregateid
FROM ${t}outbox AS o
JOIN unnest(?::text[], ?::bigint[]) AS u (aggregateid, first_seq) ON o.aggregateid = u.aggregateid AND o.seq < u.first_seq
WHERE o.published_at IS NULL AND o.seq < ?

-- name: outbox_mark_published
UPDATE ${t}outbox SET published_at = ? WHERE seq = ANY (?::bigint[]) AND published_at IS NULL

-- name: outbox_oldest_unpublished
SELECT occurred_at FROM ${t}outbox WHERE published_at IS NULL ORDER BY seq LIMIT 1

-- Oldest first by event id (time-ordered version 7 UUIDs): the primary key is the index it walks.
-- name: outbox_purge
DELETE FROM ${t}outbox
WHERE id IN (SELECT id FROM ${t}outbox
             WHERE published_at IS NOT NULL AND occurred_at < ?
             ORDER BY id
             LIMIT ?
             FOR UPDATE SKIP LOCKED)

-- ============================================================== event processors (V4)

-- name: processor_event_exists
SELECT 1 FROM ${t}processor_events WHERE event_id = ?

-- name: processor_event_insert
INSERT INTO ${t}processor_events (event_id, processed_at) VALUES (?, ?)
ON CONFLICT (event_id) DO NOTHING

-- Oldest first; SKIP LOCKED so that two instances forgetting at once do not wait for each other.
-- name: processor_events_forget
DELETE FROM ${t}processor_events
WHERE event_id IN (SELECT event_id FROM ${t}processor_events
                   WHERE processed_at < ?
                   ORDER BY processed_at
                   LIMIT ?
                   FOR UPDATE SKIP LOCKED)

-- name: backorder_insert
INSERT INTO ${t}backorders (reservation_id, accepted_at, confirm_when_served, cart_id, user_id, order_id, hold_ns)
VALUES (?, ?, false, ?, ?, ?, ?)
ON CONFLICT (reservation_id) DO NOTHING
RETURNING seq

-- name: backorder_line_insert
INSERT INTO ${t}backorder_lines (reservation_id, sku, location_id, quantity, seq) VALUES (?, ?, ?, ?, ?)

-- One backorder's columns (1-8) and its lines (9-11), one row per line.
-- name: backorder_find
SELECT b.reservation_id, b.seq, b.accepted_at, b.confirm_when_served, b.cart_id, b.user_id, b.order_id, b.hold_ns,
       l.sku, l.location_id, l.quantity
FROM ${t}backorders AS b
JOIN ${t}backorder_lines AS l ON l.reservation_id = b.reservation_id
WHERE b.reservation_id = ?
ORDER BY l.sku, l.location_id

-- The backorders with a line at one level, in arrival order, with all their lines.
-- name: backorder_waiting
SELECT b.reservation_id, b.seq, b.accepted_at, b.confirm_when_served, b.cart_id, b.user_id, b.order_id, b.hold_ns,
       l.sku, l.location_id, l.quantity
FROM ${t}backorder_lines AS w
JOIN ${t}backorders AS b ON b.reservation_id = w.reservation_id
JOIN ${t}backorder_lines AS l ON l.reservation_id = b.reservation_id
WHERE w.sku = ? AND w.location_id = ?
ORDER BY w.seq, l.sku, l.location_id

-- name: backorder_mark_confirm
UPDATE ${t}backorders SET confirm_when_served = true WHERE reservation_id = ?

-- name: backorder_delete
DELETE FROM ${t}backorders WHERE reservation_id = ?

-- name: backorder_queued_sku
SELECT coalesce(sum(quantity), 0) FROM ${t}backorder_lines WHERE sku = ?

-- name: backorder_queued_level
SELECT coalesce(sum(quantity), 0) FROM ${t}backorder_lines WHERE sku = ? AND location_id = ?

-- ============================================================== retention

-- Finished holds (terminal status) last changed before the cutoff, their lines with them (in the row since
-- V5); holds a flash-sale purchase points at stay (the flash-sale tables keep them). SKIP LOCKED: never
-- waits for a live call.
-- name: holds_purge_finished
DELETE FROM ${t}reservations
WHERE id IN (SELECT r.id
             FROM ${t}reservations AS r
             WHERE r.status IN ('FULFILLED', 'RELEASED', 'EXPIRED', 'CANCELLED') AND r.updated_at < ?
               AND NOT EXISTS (SELECT 1 FROM ${t}flash_purchases AS f WHERE f.reservation_id = r.id)
             LIMIT ?
             FOR UPDATE OF r SKIP LOCKED)

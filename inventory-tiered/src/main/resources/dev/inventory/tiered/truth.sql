-- Statements of the tiered store's writer to PostgreSQL. ${t} is the schema-qualified table prefix of
-- the PostgreSQL store's tables. Each statement starts with a "-- name:" line.

-- name: lockLevel
SELECT version FROM ${t}stock_levels WHERE sku = ? AND location_id = ? FOR UPDATE

-- name: insertLevel
INSERT INTO ${t}stock_levels (on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
        reorder_point, max_stock, sellable, receiving_blocked, version, updated_at, sku, location_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (sku, location_id) DO NOTHING

-- name: updateLevel
UPDATE ${t}stock_levels SET on_hand = ?, allocated = ?, reserved = ?, damaged = ?, safety_stock = ?,
        in_transit_in = ?, in_transit_out = ?, reorder_point = ?, max_stock = ?, sellable = ?,
        receiving_blocked = ?, version = ?, updated_at = ?
WHERE sku = ? AND location_id = ? AND version < ?

-- The newest entry's version (no row: none). A level's entries are appended in version order under its row
-- lock, so the newest by id is the newest by version: one step down the (sku, location_id, id) index, where
-- max(version) read every entry of the level on every copy.
-- name: maxLedgerVersion
SELECT version FROM ${t}ledger WHERE sku = ? AND location_id = ? ORDER BY id DESC LIMIT 1

-- name: insertLedger
INSERT INTO ${t}ledger (sku, location_id, kind, delta, on_hand_after, version, reference, event_id, occurred_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: insertProcessed
INSERT INTO ${t}processed_events (event_id, processed_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING

-- name: insertOutbox
INSERT INTO ${t}outbox (id, aggregatetype, aggregateid, type, payload, aggregate_version, occurred_at)
VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)
ON CONFLICT (id) DO NOTHING

-- name: lockHold
SELECT status FROM ${t}reservations WHERE id = ? FOR UPDATE

-- A hold with its lines (three arrays in the hold's canonical line order: SKUs, locations, quantities).
-- name: insertHold
INSERT INTO ${t}reservations (id, status, cart_id, user_id, order_id, created_at, expires_at, updated_at,
                              line_skus, line_locations, line_quantities)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::varchar[], ?::varchar[], ?::bigint[])
ON CONFLICT (id) DO NOTHING

-- name: updateHold
UPDATE ${t}reservations SET status = ?, order_id = ?, expires_at = ?, updated_at = ? WHERE id = ?

-- name: allLevels
SELECT sku, location_id, on_hand, allocated, reserved, damaged, safety_stock, in_transit_in, in_transit_out,
       reorder_point, max_stock, sellable, receiving_blocked, version, updated_at
FROM ${t}stock_levels ORDER BY sku, location_id

-- name: liveHolds
SELECT id FROM ${t}reservations WHERE status IN ('ACTIVE', 'PENDING') ORDER BY id

-- name: seenEventIds
SELECT DISTINCT sku, event_id FROM ${t}ledger WHERE event_id IS NOT NULL

-- name: allHolds
SELECT id, status, cart_id, user_id, order_id, created_at, expires_at, updated_at FROM ${t}reservations ORDER BY id

-- name: allLines
SELECT r.id, l.sku, l.location_id, l.quantity
FROM ${t}reservations AS r
CROSS JOIN LATERAL unnest(r.line_skus, r.line_locations, r.line_quantities) WITH ORDINALITY AS l (sku, location_id, quantity, n)
ORDER BY r.id, l.n

-- name: findLedger
SELECT 1 FROM ${t}ledger WHERE sku = ? AND location_id = ? AND version = ? AND on_hand_after = ? AND occurred_at = ?

-- The fence between Redis lifetimes: every copy holds it shared and checks the epoch; the loader takes it
-- exclusively to start a new epoch, so no copy read from a Redis that has since restarted commits after.
-- name: createEpoch
CREATE TABLE IF NOT EXISTS ${t}tiered_epoch (id smallint PRIMARY KEY, epoch text NOT NULL)

-- name: fenceShared
SELECT pg_advisory_xact_lock_shared(hashtext(?))

-- name: fenceExclusive
SELECT pg_advisory_xact_lock(hashtext(?))

-- name: getEpoch
SELECT epoch FROM ${t}tiered_epoch WHERE id = 1

-- name: setEpoch
INSERT INTO ${t}tiered_epoch (id, epoch) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET epoch = EXCLUDED.epoch

-- name: repairHeldQuantities
-- reserved and allocated recomputed from the hold rows (nothing else moves them), for the levels where
-- they differ: a level copied from Redis can carry the effect of an earlier change whose own copy never
-- landed and whose journal entry the lost Redis took with it
WITH held AS (
    SELECT l.sku, l.location_id,
           coalesce(sum(rl.quantity) FILTER (WHERE rl.status IN ('ACTIVE', 'PENDING')), 0) AS live,
           coalesce(sum(rl.quantity) FILTER (WHERE rl.status = 'CONFIRMED'), 0) AS confirmed
    FROM ${t}stock_levels l
    LEFT JOIN (SELECT r.status, u.sku, u.location_id, u.quantity
               FROM ${t}reservations r
               CROSS JOIN LATERAL unnest(r.line_skus, r.line_locations, r.line_quantities) AS u (sku, location_id, quantity)
              ) rl ON rl.sku = l.sku AND rl.location_id = l.location_id
    GROUP BY l.sku, l.location_id
)
UPDATE ${t}stock_levels l SET reserved = h.live, allocated = h.confirmed
FROM held h
WHERE l.sku = h.sku AND l.location_id = h.location_id AND (l.reserved <> h.live OR l.allocated <> h.confirmed)
RETURNING l.sku, l.location_id, l.reserved, l.allocated

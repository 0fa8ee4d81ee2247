-- Version 5: a hold's lines live in its own row (docs/performance.md, "PostgreSQL, round 2"). A reserve wrote
-- the hold row plus one row per line in reservation_lines (two index entries each) and every transition read
-- them back through a join; now the hold row carries its lines as three arrays of one element per line, in
-- the canonical order (SKU, then location, "C" collation), and a reserve writes one row. Nothing the store
-- answers changes.
ALTER TABLE ${t}reservations
    ADD COLUMN line_skus       varchar(64)[] COLLATE "C",
    ADD COLUMN line_locations  varchar(64)[] COLLATE "C",
    ADD COLUMN line_quantities bigint[];
UPDATE ${t}reservations AS r
SET line_skus = coalesce(l.skus, '{}'), line_locations = coalesce(l.locations, '{}'),
    line_quantities = coalesce(l.quantities, '{}')
FROM ${t}reservations AS h
LEFT JOIN (SELECT reservation_id, array_agg(sku ORDER BY sku, location_id) AS skus,
                  array_agg(location_id ORDER BY sku, location_id) AS locations,
                  array_agg(quantity ORDER BY sku, location_id) AS quantities
           FROM ${t}reservation_lines
           GROUP BY reservation_id) AS l ON l.reservation_id = h.id
WHERE h.id = r.id;
ALTER TABLE ${t}reservations
    ALTER COLUMN line_skus SET NOT NULL,
    ALTER COLUMN line_locations SET NOT NULL,
    ALTER COLUMN line_quantities SET NOT NULL,
    ADD CONSTRAINT ${p}reservations_lines CHECK (
        cardinality(line_locations) = cardinality(line_skus) AND cardinality(line_quantities) = cardinality(line_skus)
        AND 0 < ALL (line_quantities));

-- The lines as rows, for readers: the view has the columns the table had.
DROP TABLE ${t}reservation_lines;
CREATE VIEW ${t}reservation_lines AS
SELECT r.id AS reservation_id, l.sku, l.location_id, l.quantity
FROM ${t}reservations AS r
CROSS JOIN LATERAL unnest(r.line_skus, r.line_locations, r.line_quantities) AS l (sku, location_id, quantity);

-- The flash-sale purchase functions of version 2, writing the one line of each purchase hold into its row.

CREATE OR REPLACE FUNCTION ${t}flash_purchase(p_sale text, p_users text[], p_qty bigint[], p_pref integer[], p_rids text[],
        p_tokens text[], p_now_ns bigint[], p_now timestamptz[], p_expires timestamptz[], p_may_expire boolean[])
RETURNS TABLE (k integer, outcome text, rid text, pool integer, units bigint, status text)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
    s          ${t}flash_sales%ROWTYPE;
    fp         ${t}flash_purchases%ROWTYPE;
    r          record;
    v_units    bigint;
    v_purch    bigint;
    v_id       text;
    v_pool     integer;
    v_left     bigint;
    v_take     bigint;
    v_q        bigint;
    v_due      boolean;
    v_due_at   timestamptz;
BEGIN
    SELECT * INTO s FROM ${t}flash_sales AS f WHERE f.sale_id = p_sale FOR UPDATE;
    FOR i IN 1 .. coalesce(array_length(p_users, 1), 0) LOOP
        k := i; rid := NULL; pool := NULL; units := NULL; status := NULL; v_q := p_qty[i];
        IF s.sale_id IS NULL THEN
            outcome := 'UNKNOWN'; RETURN NEXT; CONTINUE;
        END IF;
        IF p_rids[i] IS NOT NULL AND EXISTS (SELECT 1 FROM ${t}reservations AS h WHERE h.id = p_rids[i]) THEN
            SELECT * INTO fp FROM ${t}flash_purchases AS x WHERE x.reservation_id = p_rids[i];
            rid := p_rids[i];
            IF FOUND AND fp.sale_id = p_sale AND fp.user_id = p_users[i] AND fp.quantity = v_q THEN
                outcome := 'REPLAYED'; pool := fp.pool;
            ELSE
                outcome := 'ID_CONFLICT';
            END IF;
            RETURN NEXT; CONTINUE;
        END IF;
        IF s.status <> 'O' THEN
            outcome := 'NOT_ACTIVE'; status := s.status; RETURN NEXT; CONTINUE;
        END IF;
        IF p_now_ns[i] < s.starts_ns OR p_now_ns[i] >= s.ends_ns THEN
            outcome := 'NOT_ACTIVE'; status := CASE WHEN p_now_ns[i] < s.starts_ns THEN 'S' ELSE 'E' END;
            RETURN NEXT; CONTINUE;
        END IF;
        IF p_tokens[i] IS NOT NULL AND EXISTS (SELECT 1 FROM ${t}flash_used_tokens AS t
                WHERE t.sale_id = p_sale AND t.token_id = p_tokens[i]) THEN
            outcome := 'TOKEN_USED'; RETURN NEXT; CONTINUE;
        END IF;
        SELECT u.units, u.purchases INTO v_units, v_purch FROM ${t}flash_sale_users AS u
        WHERE u.sale_id = p_sale AND u.user_id = p_users[i];
        v_units := coalesce(v_units, 0);
        v_purch := coalesce(v_purch, 0);
        IF v_units + v_q > s.per_user_limit THEN
            outcome := 'LIMIT'; units := v_units; RETURN NEXT; CONTINUE;
        END IF;
        IF s.held < v_q THEN
            outcome := 'SOLD_OUT';
            IF p_may_expire[i] THEN
                IF v_due_at IS DISTINCT FROM p_now[i] THEN
                    v_due_at := p_now[i];
                    v_due := EXISTS (SELECT 1 FROM ${t}flash_purchases AS x
                        JOIN ${t}reservations AS h ON h.id = x.reservation_id
                        WHERE x.sale_id = p_sale AND x.live AND h.status IN ('ACTIVE', 'PENDING')
                          AND h.expires_at <= p_now[i]);
                END IF;
                IF v_due THEN
                    outcome := 'SHORT_DUE';
                END IF;
            END IF;
            RETURN NEXT; CONTINUE;
        END IF;
        v_id := coalesce(p_rids[i], 'fs:' || p_sale || ':' || p_users[i] || ':' || (v_purch + 1));
        INSERT INTO ${t}reservations AS h (id, status, cart_id, user_id, order_id, created_at, expires_at, updated_at,
                                           line_skus, line_locations, line_quantities)
        VALUES (v_id, 'ACTIVE', NULL, p_users[i], NULL, p_now[i], p_expires[i], p_now[i],
                ARRAY[s.sku], ARRAY[s.location_id], ARRAY[v_q])
        ON CONFLICT (id) DO NOTHING;
        IF NOT FOUND THEN
            outcome := 'ID_CONFLICT'; rid := v_id; RETURN NEXT; CONTINUE;
        END IF;
        -- the first pool with enough units, in the buyer's order; else greedily in that order
        UPDATE ${t}flash_sale_pools AS q SET remaining = q.remaining - v_q
        WHERE q.sale_id = p_sale AND q.pool = (
            SELECT c.pool FROM ${t}flash_sale_pools AS c
            WHERE c.sale_id = p_sale AND c.remaining >= v_q
            ORDER BY ${t}flash_pool_rank(c.pool, p_pref[i], s.pools)
            LIMIT 1)
        RETURNING q.pool INTO v_pool;
        IF v_pool IS NULL THEN
            v_left := v_q;
            FOR r IN SELECT c.pool, c.remaining FROM ${t}flash_sale_pools AS c
                     WHERE c.sale_id = p_sale AND c.remaining > 0
                     ORDER BY ${t}flash_pool_rank(c.pool, p_pref[i], s.pools) LOOP
                v_take := least(r.remaining, v_left);
                UPDATE ${t}flash_sale_pools AS q SET remaining = q.remaining - v_take
                WHERE q.sale_id = p_sale AND q.pool = r.pool;
                v_pool := coalesce(v_pool, r.pool);
                v_left := v_left - v_take;
                EXIT WHEN v_left = 0;
            END LOOP;
            IF v_left > 0 THEN
                RAISE EXCEPTION 'flash sale % holds % units but its pools have less (a bug)', p_sale, s.held;
            END IF;
        END IF;
        INSERT INTO ${t}flash_purchases (reservation_id, sale_id, user_id, pool, quantity, live)
        VALUES (v_id, p_sale, p_users[i], v_pool, v_q, true);
        INSERT INTO ${t}flash_sale_users AS u (sale_id, user_id, units, purchases)
        VALUES (p_sale, p_users[i], v_q, 1)
        ON CONFLICT (sale_id, user_id) DO UPDATE SET units = u.units + v_q, purchases = u.purchases + 1;
        IF p_tokens[i] IS NOT NULL THEN
            INSERT INTO ${t}flash_used_tokens (sale_id, token_id) VALUES (p_sale, p_tokens[i]);
            DELETE FROM ${t}flash_outstanding_tokens AS o WHERE o.sale_id = p_sale AND o.token_id = p_tokens[i];
        END IF;
        s.held := s.held - v_q;
        s.sold := s.sold + v_q;
        s.purchases := s.purchases + 1;
        outcome := 'PURCHASED'; rid := v_id; pool := v_pool; RETURN NEXT;
    END LOOP;
    IF s.sale_id IS NOT NULL THEN
        UPDATE ${t}flash_sales AS f SET held = s.held, sold = s.sold, purchases = s.purchases
        WHERE f.sale_id = p_sale;
    END IF;
    RETURN;
END
$fn$;

CREATE OR REPLACE FUNCTION ${t}flash_purchase_batch(p_sale text, p_users text[], p_qty bigint[], p_pref integer[], p_rids text[],
        p_tokens text[], p_now_ns bigint[], p_now timestamptz[], p_expires timestamptz[], p_may_expire boolean[],
        p_events text[])
RETURNS TABLE (k integer, outcome text, rid text, pool integer, units bigint, status text, l_sku text, l_location text,
        l_on_hand bigint, l_allocated bigint, l_reserved bigint, l_damaged bigint, l_safety_stock bigint,
        l_in_transit_in bigint, l_in_transit_out bigint, l_reorder_point bigint, l_max_stock bigint,
        l_sellable boolean, l_receiving_blocked boolean, l_version bigint, l_updated_at timestamptz)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
DECLARE
    s          ${t}flash_sales%ROWTYPE;
    v_pools    bigint[];
    v_before   bigint[];
    u_ids      text[];
    u_units    bigint[];
    u_purch    bigint[];
    u_touched  boolean[];
    e_ids      text[];
    e_sales    text[];
    e_users    text[];
    e_qty      bigint[];
    e_pool     integer[];
    t_used     text[];
    n_ids      text[] := '{}';
    n_users    text[] := '{}';
    n_qty      bigint[] := '{}';
    n_pool     integer[] := '{}';
    n_now      timestamptz[] := '{}';
    n_exp      timestamptz[] := '{}';
    n_tokens   text[] := '{}';
    n_k        integer[] := '{}';
    j          integer;
    x          integer;
    kk         integer;
    v_q        bigint;
    v_id       text;
    v_pool     integer;
    v_left     bigint;
    v_take     bigint;
    v_due      boolean;
    v_due_at   timestamptz;
    v_count    bigint;
    v_level    ${t}stock_levels%ROWTYPE;
    v_quantities jsonb;
BEGIN
    -- the sale's SKU and location never change: read them without a lock, lock the level, then the sale
    SELECT * INTO s FROM ${t}flash_sales AS f WHERE f.sale_id = p_sale;
    IF s.sale_id IS NOT NULL THEN
        SELECT * INTO v_level FROM ${t}stock_levels AS l WHERE l.sku = s.sku AND l.location_id = s.location_id
        FOR UPDATE;
        IF v_level.sku IS NULL THEN
            RAISE EXCEPTION 'flash sale % has no level %@% (a bug)', p_sale, s.sku, s.location_id;
        END IF;
        SELECT * INTO s FROM ${t}flash_sales AS f WHERE f.sale_id = p_sale FOR UPDATE;
    END IF;
    IF s.sale_id IS NULL THEN
        PERFORM set_config('synchronous_commit', 'off', true);
        FOR i IN 1 .. coalesce(array_length(p_users, 1), 0) LOOP
            k := i; outcome := 'UNKNOWN'; rid := NULL; pool := NULL; units := NULL; status := NULL; RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    l_sku := v_level.sku; l_location := v_level.location_id; l_on_hand := v_level.on_hand;
    l_allocated := v_level.allocated; l_reserved := v_level.reserved; l_damaged := v_level.damaged;
    l_safety_stock := v_level.safety_stock; l_in_transit_in := v_level.in_transit_in;
    l_in_transit_out := v_level.in_transit_out; l_reorder_point := v_level.reorder_point;
    l_max_stock := v_level.max_stock; l_sellable := v_level.sellable; l_receiving_blocked := v_level.receiving_blocked;
    l_version := v_level.version; l_updated_at := v_level.updated_at;
    SELECT array_agg(c.remaining ORDER BY c.pool) INTO v_pools FROM ${t}flash_sale_pools AS c WHERE c.sale_id = p_sale;
    v_before := v_pools;
    -- one primary-key probe per buyer: OFFSET 0 keeps the planner from reading every buyer of the sale,
    -- which a plan cached while the table was still small does (a hash join on the sale's rows)
    SELECT coalesce(array_agg(u.user_id), '{}'), coalesce(array_agg(u.units), '{}'),
           coalesce(array_agg(u.purchases), '{}'), coalesce(array_agg(false), '{}')
    INTO u_ids, u_units, u_purch, u_touched
    FROM (SELECT DISTINCT b.user_id FROM unnest(p_users) AS b (user_id)) AS q
    CROSS JOIN LATERAL (SELECT f.user_id, f.units, f.purchases FROM ${t}flash_sale_users AS f
                        WHERE f.sale_id = p_sale AND f.user_id = q.user_id OFFSET 0) AS u;
    SELECT coalesce(array_agg(h.id), '{}'), coalesce(array_agg(h.sale_id), '{}'), coalesce(array_agg(h.user_id), '{}'),
           coalesce(array_agg(h.quantity), '{}'), coalesce(array_agg(h.pool), '{}')
    INTO e_ids, e_sales, e_users, e_qty, e_pool
    FROM (SELECT DISTINCT r.id FROM unnest(p_rids) AS r (id) WHERE r.id IS NOT NULL) AS q
    CROSS JOIN LATERAL (SELECT x.id, y.sale_id, y.user_id, y.quantity, y.pool
                        FROM ${t}reservations AS x LEFT JOIN ${t}flash_purchases AS y ON y.reservation_id = x.id
                        WHERE x.id = q.id OFFSET 0) AS h;
    SELECT coalesce(array_agg(t.token_id), '{}') INTO t_used FROM ${t}flash_used_tokens AS t
    WHERE t.sale_id = p_sale AND t.token_id = ANY (p_tokens);

    FOR i IN 1 .. coalesce(array_length(p_users, 1), 0) LOOP
        k := i; rid := NULL; pool := NULL; units := NULL; status := NULL; v_q := p_qty[i];
        IF p_rids[i] IS NOT NULL THEN
            j := array_position(e_ids, p_rids[i]);
            IF j IS NOT NULL THEN
                rid := p_rids[i];
                IF e_sales[j] IS NOT DISTINCT FROM p_sale AND e_users[j] = p_users[i] AND e_qty[j] = v_q THEN
                    outcome := 'REPLAYED'; pool := e_pool[j];
                ELSE
                    outcome := 'ID_CONFLICT';
                END IF;
                RETURN NEXT; CONTINUE;
            END IF;
            j := array_position(n_ids, p_rids[i]);
            IF j IS NOT NULL THEN
                rid := p_rids[i];
                IF n_users[j] = p_users[i] AND n_qty[j] = v_q THEN
                    outcome := 'REPLAYED'; pool := n_pool[j];
                ELSE
                    outcome := 'ID_CONFLICT';
                END IF;
                RETURN NEXT; CONTINUE;
            END IF;
        END IF;
        IF s.status <> 'O' THEN
            outcome := 'NOT_ACTIVE'; status := s.status; RETURN NEXT; CONTINUE;
        END IF;
        IF p_now_ns[i] < s.starts_ns OR p_now_ns[i] >= s.ends_ns THEN
            outcome := 'NOT_ACTIVE'; status := CASE WHEN p_now_ns[i] < s.starts_ns THEN 'S' ELSE 'E' END;
            RETURN NEXT; CONTINUE;
        END IF;
        IF p_tokens[i] IS NOT NULL AND (array_position(t_used, p_tokens[i]) IS NOT NULL
                OR array_position(n_tokens, p_tokens[i]) IS NOT NULL) THEN
            outcome := 'TOKEN_USED'; RETURN NEXT; CONTINUE;
        END IF;
        j := array_position(u_ids, p_users[i]);
        IF j IS NULL THEN
            u_ids := u_ids || p_users[i]; u_units := u_units || 0::bigint; u_purch := u_purch || 0::bigint;
            u_touched := u_touched || false;
            j := array_length(u_ids, 1);
        END IF;
        IF u_units[j] + v_q > s.per_user_limit THEN
            outcome := 'LIMIT'; units := u_units[j]; RETURN NEXT; CONTINUE;
        END IF;
        IF s.held < v_q THEN
            outcome := 'SOLD_OUT';
            IF p_may_expire[i] THEN
                IF v_due_at IS DISTINCT FROM p_now[i] THEN
                    v_due_at := p_now[i];
                    v_due := EXISTS (SELECT 1 FROM ${t}flash_purchases AS y
                        JOIN ${t}reservations AS h ON h.id = y.reservation_id
                        WHERE y.sale_id = p_sale AND y.live AND h.status IN ('ACTIVE', 'PENDING')
                          AND h.expires_at <= p_now[i]);
                END IF;
                IF v_due THEN
                    outcome := 'SHORT_DUE';
                END IF;
            END IF;
            RETURN NEXT; CONTINUE;
        END IF;
        v_id := coalesce(p_rids[i], 'fs:' || p_sale || ':' || p_users[i] || ':' || (u_purch[j] + 1));
        IF array_position(n_ids, v_id) IS NOT NULL THEN
            outcome := 'ID_CONFLICT'; rid := v_id; RETURN NEXT; CONTINUE;
        END IF;
        -- the first pool with enough units in the buyer's order p, p+1, p-1, p+2, ...; else greedily in that order
        v_pool := NULL;
        FOR kk IN 0 .. s.pools - 1 LOOP
            x := ((p_pref[i] + CASE WHEN kk % 2 = 1 THEN (kk + 1) / 2 ELSE -(kk / 2) END) % s.pools + s.pools) % s.pools;
            IF v_pools[x + 1] >= v_q THEN
                v_pools[x + 1] := v_pools[x + 1] - v_q;
                v_pool := x;
                EXIT;
            END IF;
        END LOOP;
        IF v_pool IS NULL THEN
            v_left := v_q;
            FOR kk IN 0 .. s.pools - 1 LOOP
                x := ((p_pref[i] + CASE WHEN kk % 2 = 1 THEN (kk + 1) / 2 ELSE -(kk / 2) END) % s.pools + s.pools) % s.pools;
                v_take := least(v_pools[x + 1], v_left);
                IF v_take > 0 THEN
                    v_pools[x + 1] := v_pools[x + 1] - v_take;
                    v_pool := coalesce(v_pool, x);
                    v_left := v_left - v_take;
                END IF;
                EXIT WHEN v_left = 0;
            END LOOP;
            IF v_left > 0 THEN
                RAISE EXCEPTION 'flash sale % holds % units but its pools have less (a bug)', p_sale, s.held;
            END IF;
        END IF;
        n_ids := n_ids || v_id; n_users := n_users || p_users[i]; n_qty := n_qty || v_q; n_pool := n_pool || v_pool;
        n_now := n_now || p_now[i]; n_exp := n_exp || p_expires[i]; n_k := n_k || i;
        IF p_tokens[i] IS NOT NULL THEN
            n_tokens := n_tokens || p_tokens[i];
        END IF;
        u_units[j] := u_units[j] + v_q; u_purch[j] := u_purch[j] + 1; u_touched[j] := true;
        s.held := s.held - v_q; s.sold := s.sold + v_q; s.purchases := s.purchases + 1;
        outcome := 'PURCHASED'; rid := v_id; pool := v_pool; RETURN NEXT;
    END LOOP;

    IF coalesce(array_length(n_ids, 1), 0) = 0 THEN
        -- nothing written but row locks: no reason to wait for a WAL flush at commit
        PERFORM set_config('synchronous_commit', 'off', true);
        RETURN;
    END IF;
    INSERT INTO ${t}reservations AS h (id, status, cart_id, user_id, order_id, created_at, expires_at, updated_at,
                                       line_skus, line_locations, line_quantities)
    SELECT w.id, 'ACTIVE', NULL, w.user_id, NULL, w.created_at, w.expires_at, w.created_at,
           ARRAY[s.sku], ARRAY[s.location_id], ARRAY[w.q]
    FROM unnest(n_ids, n_users, n_now, n_exp, n_qty) AS w (id, user_id, created_at, expires_at, q)
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count <> array_length(n_ids, 1) THEN
        RAISE EXCEPTION 'flash_purchase_batch: a hold id of the batch exists already' USING ERRCODE = 'unique_violation';
    END IF;
    INSERT INTO ${t}flash_purchases (reservation_id, sale_id, user_id, pool, quantity, live)
    SELECT w.id, p_sale, w.user_id, w.pool, w.q, true FROM unnest(n_ids, n_users, n_pool, n_qty) AS w (id, user_id, pool, q);
    INSERT INTO ${t}flash_sale_users AS u (sale_id, user_id, units, purchases)
    SELECT p_sale, w.user_id, w.units, w.purchases FROM unnest(u_ids, u_units, u_purch, u_touched)
        AS w (user_id, units, purchases, touched)
    WHERE w.touched
    ON CONFLICT (sale_id, user_id) DO UPDATE SET units = excluded.units, purchases = excluded.purchases;
    UPDATE ${t}flash_sale_pools AS c SET remaining = w.remaining
    FROM unnest(v_pools, v_before) WITH ORDINALITY AS w (remaining, prev, n)
    WHERE c.sale_id = p_sale AND c.pool = w.n - 1 AND w.remaining <> w.prev;
    IF coalesce(array_length(n_tokens, 1), 0) > 0 THEN
        INSERT INTO ${t}flash_used_tokens (sale_id, token_id) SELECT p_sale, unnest(n_tokens);
        DELETE FROM ${t}flash_outstanding_tokens AS o WHERE o.sale_id = p_sale AND o.token_id = ANY (n_tokens);
    END IF;
    UPDATE ${t}flash_sales AS f SET held = s.held, sold = s.sold, purchases = s.purchases WHERE f.sale_id = p_sale;
    x := array_length(n_ids, 1);
    UPDATE ${t}stock_levels AS l SET version = l.version + x, updated_at = n_now[x]
    WHERE l.sku = v_level.sku AND l.location_id = v_level.location_id;
    -- the quantities of every event: the level's, which purchases leave unchanged (available as StockLevel has it)
    v_quantities := jsonb_build_object('onHand', v_level.on_hand, 'allocated', v_level.allocated,
        'reserved', v_level.reserved, 'damaged', v_level.damaged, 'safetyStock', v_level.safety_stock,
        'inTransitIn', v_level.in_transit_in, 'inTransitOut', v_level.in_transit_out,
        'available', CASE WHEN v_level.sellable THEN greatest(0, v_level.on_hand - v_level.damaged
            - v_level.allocated - v_level.reserved - v_level.safety_stock) ELSE 0 END);
    INSERT INTO ${t}outbox (id, aggregatetype, aggregateid, type, payload, aggregate_version, occurred_at)
    SELECT (w.e ->> 'eventId')::uuid, 'inventory', v_level.sku || ':' || v_level.location_id, w.e ->> 'type',
           w.e || jsonb_build_object('version', v_level.version + w.n, 'reference', w.id, 'quantities', v_quantities,
                                     'data', (w.e -> 'data') || jsonb_build_object('reservationId', w.id)),
           v_level.version + w.n, w.at
    FROM (SELECT x.id, x.at, p_events[x.i]::jsonb AS e, x.n
          FROM unnest(n_ids, n_now, n_k) WITH ORDINALITY AS x (id, at, i, n)) AS w
    ORDER BY w.n;
    RETURN;
END
$fn$;

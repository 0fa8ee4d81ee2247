-- Version 3: fewer index entries and checks per write (docs/performance.md, "What the profiling found").
-- Nothing here changes what the store stores or answers; it changes how much each write costs.

-- The outbox keeps two indexes: the primary key (CDC, and the tiered copy's ON CONFLICT (id)) and the relay's
-- queue of unpublished rows by seq. The relay's other lookups now go through those two:
--  * outbox_blocked_aggregates scans the unpublished rows below the batch's highest first seq (a range of
--    the queue index: only the rows in flight in some batch), instead of an index per aggregate;
--  * outbox_mark_published finds its rows through the queue index (they are all still unpublished);
--  * outbox_purge walks the primary key (event ids are time-ordered version 7 UUIDs, so the oldest first).
-- seq stays an identity column, unique by construction.
DROP INDEX ${t}outbox_unpublished_by_aggregate;
ALTER TABLE ${t}outbox DROP CONSTRAINT ${p}outbox_seq_key;

-- The id alphabet of a level was a CHECK, so every update of a level ran two regular expressions on ids that
-- never change. A trigger that fires only when a level is inserted or its ids are updated enforces the same rule.
ALTER TABLE ${t}stock_levels DROP CONSTRAINT ${p}stock_levels_ids;
CREATE FUNCTION ${t}stock_levels_check_ids() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sku !~ '^[A-Za-z0-9._-]{1,64}$' OR NEW.location_id !~ '^[A-Za-z0-9._-]{1,64}$' THEN
        RAISE EXCEPTION 'new row for relation "%" violates check constraint "%"', TG_TABLE_NAME, TG_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ${p}stock_levels_ids BEFORE INSERT OR UPDATE OF sku, location_id ON ${t}stock_levels
    FOR EACH ROW EXECUTE FUNCTION ${t}stock_levels_check_ids();

-- Level rows are updated in place all the time: leave room on each page so the update stays on the page
-- (a heap-only tuple, no new index entry). Applies to pages written from now on.
ALTER TABLE ${t}stock_levels SET (fillfactor = 80);

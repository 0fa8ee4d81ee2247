package dev.inventory.jdbc;

import dev.inventory.core.LedgerEntry;
import dev.inventory.core.LocationId;
import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationStatus;
import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Mapping between rows and the core's values, and the parameter helpers every statement uses. */
final class Rows {
    private Rows() {
    }

    /** A level's identity, ordered like the database orders it (SKU, then location, "C" collation). */
    record Key(Sku sku, LocationId locationId) implements Comparable<Key> {
        static Key of(StockLevel level) {
            return new Key(level.sku(), level.locationId());
        }

        static Key of(ReservationLine line) {
            return new Key(line.sku(), line.locationId());
        }

        @Override
        public int compareTo(Key o) {
            int c = sku.compareTo(o.sku);
            return c != 0 ? c : locationId.compareTo(o.locationId);
        }

        /** The Kafka key and outbox aggregate id, {@code sku:locationId}. */
        String aggregateId() {
            return sku.value() + ":" + locationId.value();
        }
    }

    /** PostgreSQL keeps microseconds: every instant the store writes is truncated to them first. */
    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    static StockLevel level(ResultSet rs) throws SQLException {
        return level(rs, 1);
    }

    /** The level whose 15 columns start at column {@code first}. */
    static StockLevel level(ResultSet rs, int first) throws SQLException {
        int f = first - 1;
        return new StockLevel(Sku.of(rs.getString(f + 1)), LocationId.of(rs.getString(f + 2)), rs.getLong(f + 3),
                rs.getLong(f + 4), rs.getLong(f + 5), rs.getLong(f + 6), rs.getLong(f + 7), rs.getLong(f + 8),
                rs.getLong(f + 9), rs.getLong(f + 10), rs.getLong(f + 11), rs.getBoolean(f + 12),
                rs.getBoolean(f + 13), rs.getLong(f + 14), instant(rs, f + 15));
    }

    /**
     * The hold of the current row: its columns 1-8, then its lines as three arrays (SKUs, locations,
     * quantities) in columns 9-11.
     */
    static Reservation holdWithLineArrays(ResultSet rs) throws SQLException {
        Object[] skus = (Object[]) rs.getArray(9).getArray();
        Object[] locations = (Object[]) rs.getArray(10).getArray();
        Object[] quantities = (Object[]) rs.getArray(11).getArray();
        List<ReservationLine> lines = new ArrayList<>(skus.length);
        for (int k = 0; k < skus.length; k++) {
            lines.add(new ReservationLine(Sku.of((String) skus[k]), LocationId.of((String) locations[k]),
                    ((Number) quantities[k]).longValue()));
        }
        return reservation(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), instant(rs, 6), instant(rs, 7), instant(rs, 8)}, lines);
    }

    static LedgerEntry ledgerEntry(ResultSet rs) throws SQLException {
        return new LedgerEntry(Sku.of(rs.getString(1)), LocationId.of(rs.getString(2)),
                LedgerEntry.Kind.valueOf(rs.getString(3)), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                Optional.ofNullable(rs.getString(7)), Optional.ofNullable(rs.getString(8)), instant(rs, 9));
    }

    /**
     * Reads the holds of a result set of reservation columns (1-8) followed by line columns (9-11),
     * ordered by hold, each hold's rows together.
     */
    static List<Reservation> reservations(ResultSet rs) throws SQLException {
        List<Reservation> out = new ArrayList<>();
        String currentId = null;
        Object[] header = null;
        List<ReservationLine> lines = new ArrayList<>();
        while (rs.next()) {
            String id = rs.getString(1);
            if (!id.equals(currentId)) {
                if (header != null) {
                    out.add(reservation(header, lines));
                }
                currentId = id;
                header = new Object[] {id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        instant(rs, 6), instant(rs, 7), instant(rs, 8)};
                lines = new ArrayList<>();
            }
            lines.add(new ReservationLine(Sku.of(rs.getString(9)), LocationId.of(rs.getString(10)), rs.getLong(11)));
        }
        if (header != null) {
            out.add(reservation(header, lines));
        }
        return out;
    }

    private static Reservation reservation(Object[] h, List<ReservationLine> lines) {
        return new Reservation(ReservationId.of((String) h[0]), lines, Optional.ofNullable((String) h[2]),
                Optional.ofNullable((String) h[3]), Optional.ofNullable((String) h[4]),
                ReservationStatus.valueOf((String) h[1]), (Instant) h[5], (Instant) h[6], (Instant) h[7]);
    }

    /**
     * Binds a hold's lines from {@code index} as {@link Sql#insertReservation} wants them: every SKU, then
     * every location, then every quantity, in the hold's (canonical) line order.
     *
     * @return the next parameter index
     */
    static int setHoldLines(PreparedStatement ps, int index, List<ReservationLine> lines) throws SQLException {
        int n = lines.size();
        for (int k = 0; k < n; k++) {
            ReservationLine line = lines.get(k);
            ps.setString(index + k, line.sku().value());
            ps.setString(index + n + k, line.locationId().value());
            ps.setLong(index + 2 * n + k, line.quantity());
        }
        return index + 3 * n;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
        ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    /**
     * Binds {@code keys} at {@code index} for {@link Sql#lockLevels}: as (sku, location) scalar pairs when
     * there are at most {@link Sql#MAX_VALUES}, else as two arrays.
     *
     * @return the next parameter index
     */
    static int setLockKeys(Connection c, PreparedStatement ps, int index, Collection<Key> keys)
            throws SQLException {
        if (keys.size() > Sql.MAX_VALUES) {
            setKeys(c, ps, index, keys);
            return index + 2;
        }
        int i = index;
        for (Key key : keys) {
            ps.setString(i++, key.sku().value());
            ps.setString(i++, key.locationId().value());
        }
        return i;
    }

    static void setKeys(Connection c, PreparedStatement ps, int index, Collection<Key> keys) throws SQLException {
        String[] skus = new String[keys.size()];
        String[] locations = new String[keys.size()];
        int i = 0;
        for (Key key : keys) {
            skus[i] = key.sku().value();
            locations[i++] = key.locationId().value();
        }
        ps.setArray(index, texts(c, skus));
        ps.setArray(index + 1, texts(c, locations));
    }

    static Array texts(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    static Array longs(Connection c, Long[] values) throws SQLException {
        return c.createArrayOf("int8", values);
    }

    static Array booleans(Connection c, Boolean[] values) throws SQLException {
        return c.createArrayOf("bool", values);
    }

    /** Instants as ISO-8601 text, cast to {@code timestamptz[]} by the statement. */
    static String iso(Instant instant) {
        return instant.toString();
    }
}

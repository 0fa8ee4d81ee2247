package dev.inventory.jdbc;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.processing.Backorder;
import dev.inventory.core.processing.BackorderQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The backorder queue in PostgreSQL (tables {@code backorders} and {@code backorder_lines}, in the
 * inventory store's schema): requests waiting for stock survive a restart, in arrival order. Pass it
 * to the backorder component:
 *
 * <pre>{@code
 * Backorders backorders = Backorders.builder(inventory).queue(PostgresBackorderQueue.on(store)).build();
 * }</pre>
 *
 * <p>Every call is its own transaction (adding a request and its lines commits them together). As with
 * the in-memory queue, run one serving {@code Backorders} per queue: the queue orders and keeps the
 * requests, the component's lock decides who is served. Thread-safe.
 */
public final class PostgresBackorderQueue implements BackorderQueue {
    private final Jdbc jdbc;
    private final Sql sql;

    private PostgresBackorderQueue(PostgresInventoryStore store) {
        this.jdbc = store.jdbc();
        this.sql = new Sql(store.config());
    }

    /** The queue in {@code store}'s schema, on its connections. */
    public static PostgresBackorderQueue on(PostgresInventoryStore store) {
        return new PostgresBackorderQueue(require("store", store));
    }

    @Override
    public Optional<Backorder> add(ReservationRequest request, Instant acceptedAt) {
        require("request", request);
        Instant accepted = Rows.micros(require("acceptedAt", acceptedAt));
        return jdbc.inTransaction("queue backorder " + request.id().value(), false, tx -> {
            long seq;
            try (PreparedStatement ps = tx.connection.prepareStatement(sql.get("backorder_insert"))) {
                ps.setString(1, request.id().value());
                Rows.setInstant(ps, 2, accepted);
                Rows.setOptional(ps, 3, request.cartId());
                Rows.setOptional(ps, 4, request.userId());
                Rows.setOptional(ps, 5, request.orderId());
                if (request.holdDuration().isPresent()) {
                    ps.setLong(6, request.holdDuration().get().toNanos());
                } else {
                    ps.setNull(6, Types.BIGINT);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        tx.rollbackOnly();
                        return Optional.<Backorder>empty(); // queued already
                    }
                    seq = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = tx.connection.prepareStatement(sql.get("backorder_line_insert"))) {
                for (ReservationLine line : request.lines()) {
                    ps.setString(1, request.id().value());
                    ps.setString(2, line.sku().value());
                    ps.setString(3, line.locationId().value());
                    ps.setLong(4, line.quantity());
                    ps.setLong(5, seq);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return Optional.of(new Backorder(request, seq, accepted, false));
        });
    }

    @Override
    public Optional<Backorder> find(ReservationId id) {
        require("id", id);
        return jdbc.read("find backorder " + id.value(), c -> {
            List<Backorder> found = query(c, "backorder_find", id.value());
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
    }

    @Override
    public boolean markConfirmWhenServed(ReservationId id) {
        require("id", id);
        return jdbc.read("mark backorder " + id.value(), c -> update(c, "backorder_mark_confirm", id.value()) == 1);
    }

    @Override
    public boolean remove(ReservationId id) {
        require("id", id);
        // the lines go with it (ON DELETE CASCADE), in the statement's own transaction
        return jdbc.read("remove backorder " + id.value(), c -> update(c, "backorder_delete", id.value()) == 1);
    }

    @Override
    public List<Backorder> waiting(Sku sku, LocationId locationId) {
        require("sku", sku);
        require("locationId", locationId);
        return jdbc.read("backorders waiting at " + sku.value() + "@" + locationId.value(),
                c -> List.copyOf(query(c, "backorder_waiting", sku.value(), locationId.value())));
    }

    @Override
    public long queuedQuantity(Sku sku) {
        require("sku", sku);
        return jdbc.read("backordered quantity of " + sku.value(), c -> sum(c, "backorder_queued_sku", sku.value()));
    }

    @Override
    public long queuedQuantity(Sku sku, LocationId locationId) {
        require("sku", sku);
        require("locationId", locationId);
        return jdbc.read("backordered quantity of " + sku.value() + "@" + locationId.value(),
                c -> sum(c, "backorder_queued_level", sku.value(), locationId.value()));
    }

    private int update(Connection c, String statement, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get(statement))) {
            ps.setString(1, id);
            return ps.executeUpdate();
        }
    }

    private long sum(Connection c, String statement, String... keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get(statement))) {
            for (int i = 0; i < keys.length; i++) {
                ps.setString(i + 1, keys[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Backorders of a result set of backorder columns (1-8) and line columns (9-11), each one's rows together. */
    private List<Backorder> query(Connection c, String statement, String... keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.get(statement))) {
            for (int i = 0; i < keys.length; i++) {
                ps.setString(i + 1, keys[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Backorder> out = new ArrayList<>();
                ReservationRequest.Builder request = null;
                Object[] head = null;
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (head == null || !head[0].equals(id)) {
                        if (head != null) {
                            out.add(backorder(head, request));
                        }
                        head = new Object[] {id, rs.getLong(2), Rows.instant(rs, 3), rs.getBoolean(4)};
                        request = ReservationRequest.builder(id);
                        String cart = rs.getString(5);
                        String user = rs.getString(6);
                        String order = rs.getString(7);
                        long holdNanos = rs.getLong(8);
                        boolean hold = !rs.wasNull();
                        if (cart != null) {
                            request.cartId(cart);
                        }
                        if (user != null) {
                            request.userId(user);
                        }
                        if (order != null) {
                            request.orderId(order);
                        }
                        if (hold) {
                            request.holdFor(Duration.ofNanos(holdNanos));
                        }
                    }
                    request.line(Sku.of(rs.getString(9)), LocationId.of(rs.getString(10)), rs.getLong(11));
                }
                if (head != null) {
                    out.add(backorder(head, request));
                }
                return out;
            }
        }
    }

    private static Backorder backorder(Object[] head, ReservationRequest.Builder request) {
        return new Backorder(request.build(), (Long) head[1], (Instant) head[2], (Boolean) head[3]);
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }
}

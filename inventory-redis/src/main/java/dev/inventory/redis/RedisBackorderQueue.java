package dev.inventory.redis;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationLine;
import dev.inventory.core.ReservationRequest;
import dev.inventory.core.Sku;
import dev.inventory.core.processing.Backorder;
import dev.inventory.core.processing.BackorderQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * The backorder queue in Redis, next to the inventory store's keys: requests waiting for stock
 * survive a restart of the host (as far as Redis keeps its data: use AOF or replicas for the queue as
 * for the stock). Pass it to the backorder component:
 *
 * <pre>{@code
 * Backorders backorders = Backorders.builder(inventory).queue(RedisBackorderQueue.on(store)).build();
 * }</pre>
 *
 * <p>Every key carries the tag {@code {:bo}}, so on a cluster the whole queue is in one slot and each
 * operation is one atomic script. As with the in-memory queue, run one serving {@code Backorders} per
 * queue. Thread-safe.
 */
public final class RedisBackorderQueue implements BackorderQueue {
    private final UnifiedJedis jedis;
    private final String prefix;
    private final String routing;

    private RedisBackorderQueue(RedisInventoryStore store) {
        this.jedis = store.jedis;
        this.prefix = store.keyPrefix() + "inv:";
        this.routing = prefix + "{:bo}:seq";
    }

    /** The queue beside {@code store}'s keys (same client, same key prefix). */
    public static RedisBackorderQueue on(RedisInventoryStore store) {
        return new RedisBackorderQueue(require("store", store));
    }

    @Override
    public Optional<Backorder> add(ReservationRequest request, Instant acceptedAt) {
        require("request", request);
        require("acceptedAt", acceptedAt);
        StringBuilder lines = new StringBuilder();
        for (ReservationLine line : request.lines()) {
            if (lines.length() > 0) {
                lines.append(';');
            }
            lines.append(line.sku().value()).append(',').append(line.locationId().value()).append(',')
                    .append(line.quantity());
        }
        Object seq = run("add", request.id().value(), acceptedAt.toString(), request.cartId().orElse(""),
                request.userId().orElse(""), request.orderId().orElse(""),
                request.holdDuration().map(d -> Long.toString(d.toNanos())).orElse(""), lines.toString());
        if (seq == null) {
            return Optional.empty(); // queued already
        }
        return Optional.of(new Backorder(request, (Long) seq, acceptedAt, false));
    }

    @Override
    public Optional<Backorder> find(ReservationId id) {
        require("id", id);
        Object found = run("find", id.value());
        return found == null ? Optional.empty() : Optional.of(backorder((List<?>) found));
    }

    @Override
    public boolean markConfirmWhenServed(ReservationId id) {
        require("id", id);
        return Long.valueOf(1).equals(run("mark", id.value()));
    }

    @Override
    public boolean remove(ReservationId id) {
        require("id", id);
        return Long.valueOf(1).equals(run("remove", id.value()));
    }

    @Override
    public List<Backorder> waiting(Sku sku, LocationId locationId) {
        require("sku", sku);
        require("locationId", locationId);
        List<Backorder> out = new ArrayList<>();
        for (Object row : (List<?>) run("waiting", sku.value(), locationId.value())) {
            out.add(backorder((List<?>) row));
        }
        return List.copyOf(out);
    }

    @Override
    public long queuedQuantity(Sku sku) {
        require("sku", sku);
        return queued("s:" + sku.value());
    }

    @Override
    public long queuedQuantity(Sku sku, LocationId locationId) {
        require("sku", sku);
        require("locationId", locationId);
        return queued("l:" + sku.value() + ":" + locationId.value());
    }

    private long queued(String field) {
        String value = jedis.hget(prefix + "{:bo}:q", field);
        return value == null ? 0 : Long.parseLong(value);
    }

    private Object run(String operation, String... args) {
        List<String> argv = new ArrayList<>(args.length + 2);
        argv.add(prefix);
        argv.add(operation);
        argv.addAll(List.of(args));
        return Scripts.eval(jedis, Scripts.BACKORDERS, routing, argv);
    }

    /** A request as backorders.lua answers it: id, seq, accepted at, confirm, cart, user, order, hold ns, lines. */
    private static Backorder backorder(List<?> r) {
        ReservationRequest.Builder request = ReservationRequest.builder(text(r.get(0)));
        if (!text(r.get(4)).isEmpty()) {
            request.cartId(text(r.get(4)));
        }
        if (!text(r.get(5)).isEmpty()) {
            request.userId(text(r.get(5)));
        }
        if (!text(r.get(6)).isEmpty()) {
            request.orderId(text(r.get(6)));
        }
        if (!text(r.get(7)).isEmpty()) {
            request.holdFor(Duration.ofNanos(Long.parseLong(text(r.get(7)))));
        }
        for (String line : text(r.get(8)).split(";")) {
            String[] f = line.split(",");
            request.line(Sku.of(f[0]), LocationId.of(f[1]), Long.parseLong(f[2]));
        }
        return new Backorder(request.build(), Long.parseLong(text(r.get(1))), Instant.parse(text(r.get(2))),
                "1".equals(text(r.get(3))));
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

    private static <T> T require(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }
}

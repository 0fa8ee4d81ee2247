package dev.inventory.redis;

import dev.inventory.core.Reservation;
import dev.inventory.core.ReservationId;
import dev.inventory.core.ReservationStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/**
 * The child process of {@link CrashBetweenStepsTest}: reserves a hold over several slots and halts the
 * JVM (no shutdown hooks, no finally blocks) right after the step named on the command line.
 *
 * <p>Arguments: cluster nodes ({@code host:port,host:port}), key prefix, step to die after, reservation
 * id, now (epoch ms), hold duration (ms), lines ({@code sku,loc,qty;...}).
 */
public final class CrashingReserver {
    private CrashingReserver() {
    }

    public static void main(String[] args) {
        Set<HostAndPort> nodes = new HashSet<>();
        for (String node : args[0].split(",")) {
            nodes.add(HostAndPort.from(node));
        }
        String stopAfter = args[2];
        JedisCluster cluster = new JedisCluster(nodes, DefaultJedisClientConfig.builder().build());
        RedisInventoryStore store = RedisInventoryStore.builder(cluster).keyPrefix(args[1]).stepHook((step, id) -> {
            if (step.equals(stopAfter)) {
                System.out.println("halting after " + step);
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
        }).build();
        Instant now = Instant.ofEpochMilli(Long.parseLong(args[4]));
        Reservation r = new Reservation(ReservationId.of(args[3]), Codec.parseLines(args[6]), Optional.empty(),
                Optional.empty(), Optional.empty(), ReservationStatus.ACTIVE, now,
                now.plusMillis(Long.parseLong(args[5])), now);
        System.out.println("finished without halting: " + store.reserve(r, now).value());
        System.exit(3);
    }
}

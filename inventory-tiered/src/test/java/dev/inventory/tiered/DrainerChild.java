package dev.inventory.tiered;

import com.zaxxer.hikari.HikariDataSource;
import dev.inventory.redis.RedisInventoryStore;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.JedisPooled;

/**
 * The child process of {@link TieredDrainerTest}: a drainer against the shared PostgreSQL and Redis that,
 * after committing entry {@code killAfter} of its batch (and before acknowledging any), says so on
 * stdout and waits to be killed ({@code destroyForcibly}: SIGKILL, no shutdown hook, no finally).
 *
 * <p>Arguments: PostgreSQL JDBC URL, schema, Redis URL, key prefix, killAfter (entry index), lease (ms).
 */
public final class DrainerChild {
    private DrainerChild() {
    }

    public static void main(String[] args) {
        HikariDataSource pg = TestServers.newPool(args[0], 2);
        JedisPooled jedis = new JedisPooled(URI.create(args[2]));
        RedisInventoryStore hot = RedisInventoryStore.builder(jedis).keyPrefix(args[3]).build();
        TieredInventoryStore store = TieredInventoryStore.builder().hot(hot).redis(jedis).dataSource(pg)
                .schema(args[1]).build();
        int killAfter = Integer.parseInt(args[4]);
        TieredDrainer drainer = TieredDrainer.builder(store, jedis).outbox(true)
                .lease(Duration.ofMillis(Long.parseLong(args[5]))).hook(i -> {
                    System.out.println("committed " + i);
                    if (i == killAfter) {
                        System.out.println("waiting to be killed");
                        System.out.flush();
                        try {
                            new java.util.concurrent.CountDownLatch(1).await(); // until SIGKILL
                        } catch (InterruptedException e) {
                            Runtime.getRuntime().halt(4);
                        }
                    }
                }).build();
        int drained = drainer.drainOnce(1000);
        System.out.println("finished without being killed: " + drained);
        System.exit(3);
    }
}

package dev.inventory.redis;

import dev.inventory.core.contract.Await;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The Redis servers the tests use, one of each per test JVM:
 *
 * <ul>
 *   <li>{@link #single()}: the server named by {@value #ENV} (e.g. {@code redis://127.0.0.1:6379}) when
 *       it is set, else a Redis 6.2 that {@code com.github.codemonstur:embedded-redis} starts on a free
 *       loopback port;
 *   <li>{@link #cluster()}: a Redis Cluster of three masters on free loopback ports, started from the
 *       machine's {@code redis-server} when {@value #ENV} is set and one is on the PATH, else from the
 *       binary inside embedded-redis; slots are assigned and the nodes met through Jedis.
 * </ul>
 *
 * <p>Tests work under their own key prefix and delete only their own keys ({@link Server#deleteKeys});
 * nothing here flushes a server it did not start.
 */
public final class TestRedis {
    static final String ENV = "INVENTORY_TEST_REDIS_URL";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Connections per pool, created up front: commons-pool2 wakes every waiting borrower each time it
     * finishes creating a connection, which hundreds of virtual threads turn into seconds of churn.
     */
    private static final int POOL_SIZE = 48;

    private static Server single;
    private static Cluster cluster;

    private TestRedis() {
    }

    /** The address of {@link #single()}, for code outside this package (the example's test). */
    public static URI singleUri() {
        return single().uri;
    }

    /** A fresh key prefix for one test. */
    static String newPrefix() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** A server the tests share (see the class comment). */
    static synchronized Server single() {
        if (single == null) {
            String url = System.getenv(ENV);
            if (url != null && !url.isBlank()) {
                single = new Server(URI.create(url.trim()), null);
                try {
                    single.client.ping();
                } catch (RuntimeException e) {
                    throw new AssertionError(ENV + "=" + url + " but no Redis answers there (" + e.getMessage()
                            + "). Start one (e.g. `redis-server --port 6379 --save '' --daemonize yes`) or unset "
                            + ENV + " to let the tests start an embedded Redis 6.2.", e);
                }
            } else {
                single = startEmbedded();
            }
        }
        return single;
    }

    /** A Redis server these tests started themselves (for tests that flush scripts or count commands). */
    static Server privateServer() {
        return startEmbedded();
    }

    /** A three-master Redis Cluster the tests share. */
    static synchronized Cluster cluster() {
        if (cluster == null) {
            cluster = Cluster.start(3);
        }
        return cluster;
    }

    private static Server startEmbedded() {
        int port = freePort();
        try {
            Path dir = Files.createTempDirectory("inventory-redis-");
            RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").setting("dir " + dir).build();
            server.start();
            Server s = new Server(URI.create("redis://127.0.0.1:" + port), () -> {
                try {
                    server.stop();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                deleteTree(dir);
            });
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "embedded-redis-stop"));
            return s;
        } catch (IOException e) {
            throw new AssertionError("could not start the embedded Redis (com.github.codemonstur:embedded-redis) on "
                    + "port " + port + ": " + e.getMessage() + ". Set " + ENV + " to a running Redis instead.", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GenericObjectPoolConfig<Connection> pool() {
        GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(POOL_SIZE);
        config.setMaxIdle(POOL_SIZE);
        config.setMinIdle(POOL_SIZE);
        return config;
    }

    private static void prefill(redis.clients.jedis.util.Pool<Connection> pool) {
        try {
            pool.preparePool();
        } catch (Exception e) {
            throw new AssertionError("could not open " + POOL_SIZE + " connections: " + e.getMessage(), e);
        }
    }

    /** One server and a pooled client. */
    static final class Server {
        final URI uri;
        final JedisPooled client;
        private final Runnable stopper;

        Server(URI uri, Runnable stopper) {
            this.uri = uri;
            this.client = new JedisPooled(pool(), new HostAndPort(uri.getHost(), uri.getPort()),
                    DefaultJedisClientConfig.builder().build());
            this.stopper = stopper;
            prefill(client.getPool());
        }

        HostAndPort hostAndPort() {
            return new HostAndPort(uri.getHost(), uri.getPort());
        }

        /** Deletes every key that starts with {@code prefix}, nothing else. */
        void deleteKeys(String prefix) {
            try (Jedis jedis = new Jedis(hostAndPort())) {
                TestRedis.deleteKeys(jedis, prefix);
            }
        }

        synchronized void stop() {
            if (stopper != null) {
                client.close();
                stopper.run();
            }
        }
    }

    static void deleteKeys(Jedis jedis, String prefix) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(prefix + "*").count(1000);
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            if (!page.getResult().isEmpty()) {
                for (String key : page.getResult()) {
                    jedis.unlink(key);
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }

    /** A Redis Cluster of masters started by this JVM, stopped (and its directories deleted) when the JVM exits. */
    static final class Cluster {
        final List<HostAndPort> nodes;
        final JedisCluster client;
        final String version;
        private final List<Process> processes;
        private final Path dir;

        private Cluster(List<HostAndPort> nodes, JedisCluster client, String version, List<Process> processes,
                Path dir) {
            this.nodes = nodes;
            this.client = client;
            this.version = version;
            this.processes = processes;
            this.dir = dir;
        }

        static Cluster start(int masters) {
            Path dir;
            try {
                dir = Files.createTempDirectory("inventory-redis-cluster-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            File binary = serverBinary();
            List<Process> processes = new ArrayList<>();
            List<HostAndPort> nodes = new ArrayList<>();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(processes, dir), "redis-cluster-stop"));
            for (int i = 0; i < masters; i++) {
                int port = freePort();
                Path nodeDir = dir.resolve("node-" + port);
                try {
                    Files.createDirectories(nodeDir);
                    processes.add(new ProcessBuilder(binary.getAbsolutePath(), "--port", Integer.toString(port),
                            "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                            "--cluster-node-timeout", "5000", "--dir", nodeDir.toString(), "--save", "",
                            "--appendonly", "no").redirectErrorStream(true)
                            .redirectOutput(nodeDir.resolve("redis.log").toFile()).start());
                } catch (IOException e) {
                    stop(processes, dir);
                    throw new AssertionError("could not start " + binary + " for the test cluster: " + e.getMessage(), e);
                }
                nodes.add(new HostAndPort("127.0.0.1", port));
            }
            for (HostAndPort node : nodes) {
                Await.until("redis-server on port " + node.getPort() + " answers", START_TIMEOUT, () -> {
                    try (Jedis j = new Jedis(node)) {
                        return "PONG".equals(j.ping());
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
            }
            String version;
            int per = 16384 / masters;
            for (int i = 0; i < masters; i++) {
                int from = i * per;
                int to = i == masters - 1 ? 16383 : from + per - 1;
                int[] slots = new int[to - from + 1];
                for (int s = from; s <= to; s++) {
                    slots[s - from] = s;
                }
                try (Jedis j = new Jedis(nodes.get(i))) {
                    j.clusterAddSlots(slots);
                    if (i > 0) {
                        j.clusterMeet("127.0.0.1", nodes.get(0).getPort());
                    }
                }
            }
            try (Jedis j = new Jedis(nodes.get(0))) {
                String info = j.info("server");
                version = info.lines().filter(l -> l.startsWith("redis_version:")).findFirst().orElse("?");
            }
            for (HostAndPort node : nodes) {
                Await.until("cluster_state:ok on port " + node.getPort(), START_TIMEOUT, () -> {
                    try (Jedis j = new Jedis(node)) {
                        String info = j.clusterInfo();
                        return info.contains("cluster_state:ok")
                                && info.contains("cluster_known_nodes:" + masters);
                    }
                });
            }
            JedisCluster client = new JedisCluster(new HashSet<>(nodes), DefaultJedisClientConfig.builder().build(),
                    5, pool());
            client.getClusterNodes().values().forEach(TestRedis::prefill);
            System.out.println("test cluster: " + masters + " masters (" + version + ", " + binary + ") on " + nodes);
            return new Cluster(nodes, client, version, processes, dir);
        }

        private static File serverBinary() {
            String url = System.getenv(ENV);
            if (url != null && !url.isBlank()) {
                for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                    File f = new File(p, "redis-server");
                    if (f.canExecute()) {
                        return f;
                    }
                }
            }
            try {
                return ExecutableProvider.newJarResourceProvider().get();
            } catch (IOException e) {
                throw new AssertionError("could not extract redis-server from embedded-redis: " + e.getMessage(), e);
            }
        }

        /** Which master (index into {@link #nodes}) serves the slot of {@code sku}'s keys. */
        int nodeOf(dev.inventory.core.Sku sku) {
            int per = 16384 / nodes.size();
            return Math.min(Keys.slot(sku) / per, nodes.size() - 1);
        }

        /** {@code count} SKUs named {@code base-N}, each served by another master. */
        List<dev.inventory.core.Sku> skusOnDifferentMasters(String base, int count) {
            List<dev.inventory.core.Sku> out = new ArrayList<>();
            java.util.Set<Integer> used = new java.util.HashSet<>();
            for (int i = 0; out.size() < count; i++) {
                dev.inventory.core.Sku sku = dev.inventory.core.Sku.of(base + "-" + i);
                if (used.add(nodeOf(sku))) {
                    out.add(sku);
                }
            }
            return out;
        }

        /** Deletes every key that starts with {@code prefix} on every master, nothing else. */
        void deleteKeys(String prefix) {
            for (HostAndPort node : nodes) {
                try (Jedis jedis = new Jedis(node)) {
                    TestRedis.deleteKeys(jedis, prefix);
                }
            }
        }

        private static void stop(List<Process> processes, Path dir) {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                try {
                    if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            deleteTree(dir);
        }

    }
}

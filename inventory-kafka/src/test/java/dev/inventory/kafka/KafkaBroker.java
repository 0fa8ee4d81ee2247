package dev.inventory.kafka;

import dev.inventory.core.contract.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test JVM: a single KRaft node (broker and controller combined) started
 * in-process from the Maven Central artifacts, on loopback ports, with its log directories in a
 * temporary directory that is deleted when the test run ends. Internal topics use replication factor
 * 1. Set {@code -Dinventory.kafka.bootstrap=host:port} to run the tests against a broker of your own
 * instead; every test creates its own uniquely named topics and consumer groups.
 */
final class KafkaBroker implements BeforeAllCallback {
    private static final String EXTERNAL = System.getProperty("inventory.kafka.bootstrap", "");
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static volatile String bootstrapServers;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(context.getRoot().getStore(ExtensionContext.Namespace.create(KafkaBroker.class)));
    }

    private static synchronized void start(ExtensionContext.Store store) throws Exception {
        if (bootstrapServers != null) {
            return;
        }
        if (!EXTERNAL.isBlank()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EXTERNAL))) {
                admin.describeCluster().clusterId().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("no Kafka broker answers at -Dinventory.kafka.bootstrap=" + EXTERNAL
                        + "; start one there (for example: docker run -p 9092:9092 apache/kafka:4.3.1) or drop the"
                        + " property to let the tests start an in-process broker", e);
            }
            bootstrapServers = EXTERNAL;
            return;
        }
        Path dir = Files.createTempDirectory("inventory-kafka-broker");
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(dir)
                .build())
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
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
            cluster.close();
            throw new AssertionError("the in-process Kafka broker did not start (log dirs under " + dir + ")", e);
        }
        bootstrapServers = cluster.bootstrapServers();
        store.put("broker", (AutoCloseable) () -> {
            bootstrapServers = null;
            cluster.close();
        });
    }

    /** The broker's bootstrap servers. */
    static String bootstrapServers() {
        String servers = bootstrapServers;
        if (servers == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(KafkaBroker.class)");
        }
        return servers;
    }

    /** Creates a topic with a fresh name starting with {@code prefix}, replication factor 1. */
    static String createTopic(String prefix, int partitions) {
        String name = prefix + "-" + TOPICS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // hand the topic out once every partition has a leader (the tests' producer also keeps one
            // request in flight: see Topics.producer and KAFKA-15591)
            Await.until("every partition of " + name + " has a leader", WAIT, () -> {
                try {
                    TopicDescription d = admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(name);
                    return d.partitions().size() == partitions
                            && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                } catch (Exception e) {
                    return false; // not known yet
                }
            });
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("could not create topic " + name, e);
        }
        return name;
    }

    /** A fresh consumer group id. */
    static String group(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static final Duration WAIT = Duration.ofSeconds(30);
}

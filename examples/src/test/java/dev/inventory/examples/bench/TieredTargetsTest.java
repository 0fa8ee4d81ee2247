package dev.inventory.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inventory.core.Sku;
import dev.inventory.core.StockLevel;
import dev.inventory.tiered.TieredInventoryStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;
import redis.embedded.RedisServer;

/**
 * The bench's {@code tiered} contenders on a real PostgreSQL and Redis (embedded, started here): they
 * make the calls the scenarios make, the tiered store really writes PostgreSQL through, and each removes
 * exactly the schema and keys it created. No speed is asserted here.
 */
class TieredTargetsTest {
    private static EmbeddedPostgres pg;
    private static RedisServer redisServer;
    private static BenchServers.Postgres postgres;
    private static BenchServers.Redis redis;
    private static JedisPooled jedis;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        postgres = new BenchServers.Postgres(pg.getJdbcUrl("postgres", "postgres"), "postgres");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        redisServer = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("save \"\"")
                .setting("appendonly no").setting("dir " + Files.createTempDirectory("bench-test-redis-")).build();
        redisServer.start();
        redis = new BenchServers.Redis("127.0.0.1", port);
        jedis = new JedisPooled("127.0.0.1", port);
    }

    @AfterAll
    static void stop() throws Exception {
        if (jedis != null) {
            jedis.close();
        }
        if (redisServer != null) {
            redisServer.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void oursHoldsConfirmsWritesPostgresThroughAndRemovesItsSchemaAndKeys() throws Exception {
        Set<String> schemasBefore = schemas();
        Set<String> keysBefore = jedis.keys("*");
        try (BenchTarget t = TieredTargets.ours(redis, postgres, 4)) {
            assertThat(t.store()).isEqualTo("tiered");
            assertThat(t.contender()).isEqualTo("ours");
            t.seed(List.of("A", "B"), 5);
            assertThat(t.reserve("h1", List.of("A", "B"), 2)).isTrue();
            assertThat(t.confirm("h1")).isTrue();
            assertThat(t.reserve("h2", List.of("A"), 4)).as("only 3 of A are left").isFalse();
            assertThat(t.available("A")).isEqualTo(3);
            assertThat(t.promised("B")).isEqualTo(2);

            Set<String> created = new HashSet<>(schemas());
            created.removeAll(schemasBefore);
            assertThat(created).hasSize(1).allMatch(s -> s.startsWith("bench_tiered_"));
            assertThat(jedis.keys("*")).anyMatch(k -> k.startsWith("bench-tiered-"));
            TieredInventoryStore store = (TieredInventoryStore) ((StoreTargets.Ours) t).backend;
            StockLevel truth = store.truth().level(Sku.of("A"), MemoryTargets.LOCATION).orElseThrow();
            assertThat(truth.onHand()).as("PostgreSQL has the write-through copy").isEqualTo(5);
            assertThat(truth.allocated()).isEqualTo(2);
        }
        assertThat(schemas()).isEqualTo(schemasBefore);
        assertThat(jedis.keys("*")).isEqualTo(keysBefore);
    }

    @Test
    void itsBaselineIsTheRawRedisScriptReportedUnderTheTieredStore() throws Exception {
        Set<String> keysBefore = jedis.keys("*");
        try (BenchTarget t = TieredTargets.baseline(redis, 4)) {
            assertThat(t.store()).isEqualTo("tiered");
            assertThat(t.contender()).isEqualTo("baseline");
            assertThat(((TieredTargets.Renamed) t).target()).isInstanceOf(RawTargets.RedisBaseline.class);
            t.seed(List.of("A"), 5);
            assertThat(t.reserve("h1", List.of("A"), 2)).isTrue();
            assertThat(t.confirm("h1")).isTrue();
            assertThat(t.reserve("h2", List.of("A"), 4)).isFalse();
            assertThat(t.available("A")).isEqualTo(3);
            assertThat(t.promised("A")).isEqualTo(2);
        }
        assertThat(jedis.keys("*")).isEqualTo(keysBefore);
    }

    private static Set<String> schemas() throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT nspname FROM pg_namespace")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

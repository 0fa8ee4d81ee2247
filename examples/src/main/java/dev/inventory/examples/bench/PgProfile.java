package dev.inventory.examples.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Server cost per reserve+confirm on PostgreSQL, one connection: backend CPU (from /proc, so the server must
 * run on this machine) and WAL bytes (pg_current_wal_lsn difference: other load on the server counts too;
 * with pg_walinspect installed, also the WAL of the contender's own transactions by record type).
 * {@code java ... PgProfile [calls] [lines] [ours,baseline] [skus]}; prints one row per contender.
 */
public final class PgProfile {
    private PgProfile() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String which = args.length > 2 ? args[2] : "ours,baseline";
        BenchServers.Postgres env = BenchServers.Postgres.fromEnvironment();
        String app = "pgprofile" + ProcessHandle.current().pid();
        BenchServers.Postgres server = new BenchServers.Postgres(
                env.jdbcUrl() + (env.jdbcUrl().contains("?") ? "&" : "?") + "ApplicationName=" + app, env.user());
        List<String> skus = new ArrayList<>();
        int skuCount = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
        for (int i = 0; i < skuCount; i++) {
            skus.add(String.format("SKU-%05d", i));
        }
        for (String contender : which.split(",")) {
            BenchTarget target = contender.equals("ours") ? StoreTargets.postgres(server, 1)
                    : new RawTargets.PostgresBaseline(server, 1);
            try (target; Connection admin = DriverManager.getConnection(server.jdbcUrl(), server.user(), "")) {
                target.seed(skus, 1_000_000);
                String tag = "p" + Long.toString(System.nanoTime(), 36);
                int k = 0;
                for (int i = 0; i < 500; i++, k++) { // warm-up
                    run(target, tag + k, skus, k, lines);
                }
                int pid = backend(admin, target, app);
                System.out.println("MEASURING " + contender + " pid=" + pid);
                System.out.flush();
                long cpu0 = cpuTicks(pid);
                String wal0 = lsnText(admin);
                long wal0n = lsn(admin);
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++, k++) {
                    run(target, tag + k, skus, k, lines);
                }
                long t1 = System.nanoTime();
                String wal1 = lsnText(admin);
                long wal1n = lsn(admin);
                long cpu1 = cpuTicks(pid);
                System.out.printf("%-9s lines=%d calls=%d server-cpu/call=%.0f us wal/call=%d B wall/call=%.0f us%n",
                        contender, lines, calls, (cpu1 - cpu0) * 10_000.0 / calls, (wal1n - wal0n) / calls,
                        (t1 - t0) / 1000.0 / calls);
                ownWal(admin, target, wal0, wal1, calls);
            }
        }
    }

    private static void run(BenchTarget target, String id, List<String> skus, int k, int lines) throws Exception {
        List<String> mine = new ArrayList<>();
        for (int j = 0; j < lines; j++) {
            mine.add(skus.get((k * 7919 + j * 3331) % skus.size()));
        }
        if (!target.reserve(id, mine, 1) || !target.confirm(id)) {
            throw new IllegalStateException("reserve/confirm failed for " + id);
        }
    }

    private static int backend(Connection admin, BenchTarget target, String app) throws Exception {
        if (target instanceof RawTargets.PostgresBaseline raw) {
            try (Connection c = raw.pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                int pid = rs.getInt(1);
                c.commit();
                return pid;
            }
        }
        String schema = app;
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '" + app
                        + "' AND pid <> pg_backend_pid()")) {
            if (!rs.next()) {
                throw new IllegalStateException("no backend found for " + schema);
            }
            int pid = rs.getInt(1);
            if (rs.next()) {
                throw new IllegalStateException("several backends for " + schema);
            }
            return pid;
        }
    }

    /** WAL written by the transactions that touched the contender's schema, per call, by record type. */
    private static void ownWal(Connection admin, BenchTarget target, String from, String to, int calls)
            throws Exception {
        String schema = target instanceof RawTargets.PostgresBaseline raw ? raw.schema
                : ((dev.inventory.jdbc.PostgresInventoryStore) ((StoreTargets.Ours) target).backend).config().schema();
        String walinspect;
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT n.nspname FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_walinspect'")) {
            if (!rs.next()) {
                System.out.println("  (own WAL by record type: CREATE EXTENSION pg_walinspect to see it)");
                return;
            }
            walinspect = rs.getString(1);
        }
        String q = "WITH rels AS (SELECT string_agg(pg_relation_filenode(c.oid)::text, '|') AS re FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + schema + "'"
                + " AND pg_relation_filenode(c.oid) IS NOT NULL),"
                + " r AS (SELECT * FROM " + walinspect + ".pg_get_wal_records_info('" + from + "', '" + to + "')),"
                + " x AS (SELECT DISTINCT r.xid FROM r, rels WHERE r.xid <> '0' AND r.block_ref ~ ('rel \\d+/\\d+/(' || rels.re || ')\\M'))"
                + " SELECT r.resource_manager || ':' || r.record_type, count(*), sum(r.record_length), sum(r.fpi_length)"
                + " FROM r JOIN x ON x.xid = r.xid GROUP BY 1 ORDER BY 3 DESC";
        long total = 0;
        StringBuilder out = new StringBuilder();
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery(q)) {
            while (rs.next()) {
                total += rs.getLong(3);
                out.append(String.format("    %-28s %5.2f rec/call %6d B/call (fpi %d)%n", rs.getString(1),
                        rs.getLong(2) / (double) calls, rs.getLong(3) / calls, rs.getLong(4) / calls));
            }
        }
        System.out.printf("  own WAL %d B/call%n%s", total / calls, out);
        if (schema.startsWith("bench_ours")) {
            try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT avg(pg_column_size(o.payload)),"
                    + " avg(octet_length(o.payload::text)), avg(pg_column_size(o.*)), max(o.payload::text) FROM " + schema + ".outbox o")) {
                rs.next();
                System.out.printf("  outbox payload jsonb %.0f B, text %.0f B, row %.0f B; e.g. %s%n", rs.getDouble(1),
                        rs.getDouble(2), rs.getDouble(3), rs.getString(4));
            }
        }
    }

    private static String lsnText(Connection admin) throws Exception {
        try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long cpuTicks(int pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long lsn(Connection admin) throws Exception {
        try (Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

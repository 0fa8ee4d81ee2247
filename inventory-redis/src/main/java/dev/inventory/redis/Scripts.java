package dev.inventory.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The Lua scripts, read once from {@code src/main/resources} ({@code common.lua} in front of each
 * body), called with {@code EVALSHA} and loaded into the server that answers {@code NOSCRIPT}
 * (after a restart, a failover or {@code SCRIPT FLUSH}), then called again.
 */
final class Scripts {

    /** One script: its source and SHA-1. */
    static final class Script {
        final String name;
        final String source;
        final String sha;

        Script(String name, String source) {
            this.name = name;
            this.source = source;
            this.sha = sha1(source);
        }
    }

    static final Script HOLD = load("holds.lua", "hold.lua");
    static final Script FLASH = load("holds.lua", "flash.lua");
    static final Script STOCK = load("stock.lua");
    static final Script READ = load("read.lua");
    static final Script CLAIM = load("claim.lua");
    static final Script LEASE = load("lease.lua");

    private Scripts() {
    }

    /** Runs {@code script} on the node of {@code routingKey}, loading it there first when needed. */
    static Object eval(UnifiedJedis jedis, Script script, String routingKey, List<String> args) {
        List<String> keys = List.of(routingKey);
        try {
            return jedis.evalsha(script.sha, keys, args);
        } catch (JedisDataException e) {
            if (!isNoScript(e)) {
                throw e;
            }
            jedis.scriptLoad(script.source, routingKey);
            return jedis.evalsha(script.sha, keys, args);
        }
    }

    /** Queues {@code script} in a pipeline; {@link #get} reloads and reruns it alone on {@code NOSCRIPT}. */
    static Pending queue(AbstractPipeline pipeline, Script script, String routingKey, List<String> args) {
        return new Pending(script, routingKey, args, pipeline.evalsha(script.sha, List.of(routingKey), args));
    }

    /** A script call queued in a pipeline. */
    static final class Pending {
        final Script script;
        final String routingKey;
        final List<String> args;
        final Response<Object> response;

        Pending(Script script, String routingKey, List<String> args, Response<Object> response) {
            this.script = script;
            this.routingKey = routingKey;
            this.args = args;
            this.response = response;
        }

        /** The reply, after the pipeline was synced; a script the node did not know runs again now. */
        Object get(UnifiedJedis jedis) {
            try {
                return response.get();
            } catch (JedisDataException e) {
                if (!isNoScript(e)) {
                    throw e;
                }
                return eval(jedis, script, routingKey, args);
            }
        }
    }

    static boolean isNoScript(JedisDataException e) {
        String m = e.getMessage();
        return m != null && m.startsWith("NOSCRIPT");
    }

    private static Script load(String... names) {
        StringBuilder source = new StringBuilder(resource("common.lua"));
        for (String name : names) {
            source.append('\n').append(resource(name));
        }
        return new Script(names[names.length - 1], source.toString());
    }

    private static String resource(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("script resource missing: dev/inventory/redis/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(md.digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

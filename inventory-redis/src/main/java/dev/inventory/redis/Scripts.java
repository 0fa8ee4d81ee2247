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
 * The Lua scripts, read once from {@code src/main/resources}, called with {@code EVALSHA} and loaded
 * into the server that answers {@code NOSCRIPT} (after a restart, a failover or {@code SCRIPT FLUSH}),
 * then called again.
 *
 * <p>Redis runs a script's whole chunk on every call, so every helper a script defines costs a
 * closure per call (the ~330 lines of {@code common.lua} alone cost more server time than the
 * seed-style reserve). The general scripts ({@link #HOLD}, {@link #FLASH}, {@link #STOCK}) carry the
 * shared prelude; the hot paths ({@link #RESERVE}, {@link #TRANSITION}) and the small ones
 * ({@link #READ}, {@link #CLAIM}, {@link #LEASE}) are standalone and carry only what they use.
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
    /** Single-node reserve of one or a batch of new holds; answers SLOW where {@link #HOLD} must decide. */
    static final Script RESERVE = standalone("reserve.lua");
    /** Single-node transition of a one-group hold; answers SLOW where {@link #HOLD} must decide. */
    static final Script TRANSITION = standalone("transition.lua");
    static final Script READ = standalone("read.lua");
    static final Script CLAIM = standalone("claim.lua");
    static final Script LEASE = standalone("lease.lua");
    /** The backorder queue's operations ({@link RedisBackorderQueue}). */
    static final Script BACKORDERS = standalone("backorders.lua");

    private Scripts() {
    }

    /** The start of the error a script answers when its required key (guard.lua) is missing. */
    static final String REQUIRED_KEY_MISSING = "REQUIREDKEY";

    /** Runs {@code script} on the node of {@code routingKey}, loading it there first when needed. */
    static Object eval(UnifiedJedis jedis, Script script, String routingKey, List<String> args) {
        return eval(jedis, script, routingKey, null, args);
    }

    /**
     * Runs {@code script} as {@link #eval(UnifiedJedis, Script, String, List)}; when {@code requiredKey}
     * is not null the script refuses (guard.lua) unless that key exists.
     */
    static Object eval(UnifiedJedis jedis, Script script, String routingKey, String requiredKey, List<String> args) {
        List<String> keys = requiredKey == null ? List.of(routingKey) : List.of(routingKey, requiredKey);
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
        StringBuilder source = new StringBuilder(resource("guard.lua")).append('\n').append(resource("common.lua"));
        for (String name : names) {
            source.append('\n').append(resource(name));
        }
        return new Script(names[names.length - 1], source.toString());
    }

    /** A script without the shared helpers; guard.lua still goes in front (it costs one KEYS[2] test). */
    private static Script standalone(String name) {
        return new Script(name, resource("guard.lua") + '\n' + resource(name));
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

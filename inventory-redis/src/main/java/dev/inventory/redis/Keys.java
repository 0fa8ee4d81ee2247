package dev.inventory.redis;

import dev.inventory.core.LocationId;
import dev.inventory.core.ReservationId;
import dev.inventory.core.Sku;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The key layout, the same as the scripts' {@code common.lua} builds. Every key of a SKU carries the
 * SKU as hash tag ({@code <ns>inv:{<sku>}:...}), so all of them live in one cluster slot; the
 * reservation id key carries the id as tag; the registry carries {@code {:reg}}, a tag no SKU can
 * have (SKUs never contain {@code :}).
 */
final class Keys {
    private static final java.util.regex.Pattern NAMESPACE = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{0,64}");

    /**
     * Checks a key prefix (namespace) given to any builder of this module.
     *
     * @throws IllegalArgumentException naming {@code keyPrefix} and the value when it is malformed
     */
    static String requireNamespace(String keyPrefix) {
        if (keyPrefix == null || !NAMESPACE.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix must be 0-64 characters of A-Z a-z 0-9 . _ - :, was "
                    + (keyPrefix == null ? "null"
                            : "\"" + (keyPrefix.length() > 80 ? keyPrefix.substring(0, 80) + "..." : keyPrefix) + "\""));
        }
        return keyPrefix;
    }

    final String prefix;
    final String namespace;

    Keys(String namespace) {
        this.namespace = namespace;
        this.prefix = namespace + "inv:";
    }

    String base(Sku sku) {
        return prefix + "{" + sku.value() + "}:";
    }

    String level(Sku sku, LocationId loc) {
        return base(sku) + "lvl:" + loc.value();
    }

    String ledger(Sku sku, LocationId loc) {
        return base(sku) + "ledger:" + loc.value();
    }

    String hold(Sku sku, ReservationId id) {
        return base(sku) + "hold:" + id.value();
    }

    String due(Sku sku) {
        return base(sku) + "due";
    }

    String journal(Sku sku) {
        return base(sku) + "journal";
    }

    String journalLease(Sku sku) {
        return base(sku) + "journal-lease";
    }

    String id(ReservationId id) {
        return prefix + "id:{" + id.value() + "}";
    }

    String registryDue() {
        return prefix + "{:reg}:due";
    }

    String registrySkus() {
        return prefix + "{:reg}:skus";
    }

    /** The cluster slot every key of {@code sku} lives in. */
    static int slot(Sku sku) {
        return JedisClusterCRC16.getSlot(sku.value());
    }
}

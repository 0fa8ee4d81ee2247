/**
 * The inventory library's public API: value types, the {@link dev.inventory.core.Inventory} entry
 * point, reservations, stock commands and their results. No method in this package returns or
 * accepts {@code null}; absent values are {@link java.util.Optional}. Bad input throws
 * {@link java.lang.IllegalArgumentException} naming the field; expected business outcomes are
 * result values; infrastructure failures throw {@link dev.inventory.core.InventoryStoreException}.
 */
package dev.inventory.core;

/**
 * The ports (SPI) adapters implement, and helpers that keep every Java store's behaviour the same.
 * No method in this package returns or accepts {@code null}; absent values are
 * {@link java.util.Optional}.
 */
package dev.inventory.core.spi;

/**
 * Domain events and listeners. No method in this package returns or accepts {@code null};
 * absent values are {@link java.util.Optional}.
 */
package dev.inventory.core.event;

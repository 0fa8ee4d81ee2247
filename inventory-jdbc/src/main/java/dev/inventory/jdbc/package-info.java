/**
 * PostgreSQL as the inventory's source of truth: {@link dev.inventory.jdbc.PostgresInventoryStore}
 * implements the core's store port on a {@link javax.sql.DataSource} (the host's pool, or a HikariCP
 * pool it creates), with levels, holds, an append-only ledger, a transactional outbox (read by relays
 * through {@link dev.inventory.core.spi.OutboxSource}) and a processed-event table, in a schema it
 * migrates itself. No method in this package returns or accepts {@code null}.
 */
package dev.inventory.jdbc;

/**
 * The people and pets demo of node-tcp-ops, done properly: two services keeping their data in a real database (SQLite
 * by default, PostgreSQL by JDBC URL; a HikariCP pool, the schema made by Flyway), and the gateway's routes to them.
 * {@code switchboard demo} runs it all; docs/gateway.md walks through it.
 */
package io.switchboard.gateway.demo;

/** The bus's implementation: wire verbs, the node's routing engine, configuration parsing. Not API. */
package io.switchboard.bus.internal;

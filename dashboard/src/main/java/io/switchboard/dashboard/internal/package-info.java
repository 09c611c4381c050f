/** The dashboard's HTTP server on Netty, its server-sent event streams and its assets; not API. */
package io.switchboard.dashboard.internal;

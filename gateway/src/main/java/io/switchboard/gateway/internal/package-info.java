/** The gateway's implementation: the service dispatcher, the JSON-line and HTTP servers on Netty. Not API. */
package io.switchboard.gateway.internal;

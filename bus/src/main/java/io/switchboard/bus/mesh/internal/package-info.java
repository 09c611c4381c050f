/** The mesh's implementation: links, dialers, the per-peer streams. Not an API. */
package io.switchboard.bus.mesh.internal;

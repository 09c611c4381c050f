package io.switchboard.bus.mesh;

import java.io.IOException;

/** {@link CuttableProxy} for tests outside this package. */
public final class CuttableProxyAccess implements AutoCloseable {
  private final CuttableProxy proxy;

  /** A proxy in front of a {@code tcp://127.0.0.1:PORT} endpoint. */
  public CuttableProxyAccess(String target) throws IOException {
    this.proxy = new CuttableProxy(PeerTest.port(target));
  }

  public String endpoint() {
    return proxy.endpoint();
  }

  /** Closes every connection through the proxy. */
  public void cut() {
    proxy.cut();
  }

  @Override
  public void close() throws IOException {
    proxy.close();
  }
}

/** The live dashboard and the Prometheus endpoint of a node, a gateway or any program's sockets. */
module io.switchboard.dashboard {
  requires transitive io.switchboard.bus;
  requires io.netty.codec.http;
  requires transitive micrometer.registry.prometheus;   // DashboardServer.registry() and metrics(binder)
  requires transitive micrometer.core;
  requires org.slf4j;

  exports io.switchboard.dashboard;
  exports io.switchboard.dashboard.spi;
}

/** The bus node and its clients: named channels, propagation rules, requests, the control protocol, the mesh. */
module io.switchboard.bus {
  requires transitive io.switchboard.socket;
  requires transitive com.fasterxml.jackson.databind;
  requires io.switchboard.zmtp;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires jackson.dataformat.msgpack;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.transport.classes.epoll;
  requires transitive java.naming;   // DnsDiscovery.lookup() throws NamingException
  requires jdk.naming.dns;           // the JNDI DNS provider that DnsDiscovery names
  requires static micrometer.core;   // only io.switchboard.bus.metrics uses it
  requires org.slf4j;

  exports io.switchboard.bus;
  exports io.switchboard.bus.mesh;
  exports io.switchboard.bus.mesh.spi;
  exports io.switchboard.bus.metrics;
}

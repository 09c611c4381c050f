/** The HTTP gateway over bus services, JSON-line TCP services, and the people and pets demo on a real database. */
module io.switchboard.gateway {
  requires transitive io.switchboard.bus;
  requires transitive java.sql;
  requires transitive micrometer.core;   // Gateway.registry()
  requires com.zaxxer.hikari;
  requires flyway.core;
  requires io.netty.codec.http;
  requires io.netty.handler;
  requires io.netty.transport.classes.epoll;
  requires micrometer.registry.prometheus;
  requires org.slf4j;

  exports io.switchboard.gateway;
  exports io.switchboard.gateway.demo;
}

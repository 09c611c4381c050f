/** Proxies, brokers, worker pools and reliable request-reply, built on sockets. */
module io.switchboard.devices {
  requires transitive io.switchboard.socket;

  exports io.switchboard.devices;
}

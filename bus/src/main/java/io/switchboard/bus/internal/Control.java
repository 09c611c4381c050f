package io.switchboard.bus.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.bus.BusException;
import io.switchboard.bus.NodeConfig;
import java.nio.file.Path;
import java.util.List;

/** The control commands: each takes its words and answers with JSON. */
final class Control {
  /** The commands, with their arguments, for help and completion. */
  static final List<String> COMMANDS = List.of("showconfig", "reloadconfig PATH", "channels", "showchannel NAME",
      "showclient CHANNEL ID", "stats", "peers", "help");

  private final NodeCore node;

  Control(NodeCore node) {
    this.node = node;
  }

  /** An answer: ok or error, and its JSON text. */
  record Reply(boolean ok, String json) {
    static Reply ok(ObjectNode body) {
      return new Reply(true, body.toString());
    }

    static Reply error(String message) {
      return new Reply(false, DataCodec.JSON.createObjectNode().put("error", message).toString());
    }
  }

  Reply run(List<String> words) {
    if (words.isEmpty()) {
      return Reply.error("no command (expected one of: " + String.join(", ", COMMANDS) + ")");
    }
    String command = words.get(0);
    List<String> args = words.subList(1, words.size());
    try {
      return switch (command) {
        case "showconfig" -> args.isEmpty() ? showConfig() : usage(command);
        case "reloadconfig" -> args.size() == 1 ? reload(args.get(0)) : usage("reloadconfig PATH");
        case "channels" -> args.isEmpty() ? channels() : usage(command);
        case "showchannel" -> args.size() == 1 ? showChannel(args.get(0)) : usage("showchannel NAME");
        case "showclient" -> args.size() == 2 ? showClient(args.get(0), args.get(1))
            : usage("showclient CHANNEL ID");
        case "stats" -> args.isEmpty() ? stats() : usage(command);
        case "peers" -> args.isEmpty() ? peers() : usage(command);
        case "help" -> help();
        default -> Reply.error("unknown command \"" + command + "\" (expected one of: "
            + String.join(", ", COMMANDS) + ")");
      };
    } catch (BusException e) {
      return Reply.error(e.getMessage());
    }
  }

  private static Reply usage(String form) {
    return Reply.error("usage: " + form);
  }

  private Reply help() {
    ObjectNode body = DataCodec.JSON.createObjectNode();
    COMMANDS.forEach(body.putArray("commands")::add);
    return Reply.ok(body);
  }

  private Reply showConfig() {
    ObjectNode body = ConfigParser.toTree(node.config());
    body.put("source", node.config().source());
    return Reply.ok(body);
  }

  private Reply reload(String path) {
    NodeConfig next = NodeConfig.load(Path.of(path));
    NodeCore.ReloadResult result = node.reload(next);
    ObjectNode body = DataCodec.JSON.createObjectNode();
    body.put("reloaded", path);
    result.added().forEach(body.putArray("added")::add);
    result.removed().forEach(body.putArray("removed")::add);
    result.changed().forEach(body.putArray("changed")::add);
    return Reply.ok(body);
  }

  private Reply channels() {
    ObjectNode body = DataCodec.JSON.createObjectNode();
    ArrayNode list = body.putArray("channels");
    for (ChannelState ch : node.channelStates()) {
      ObjectNode c = list.addObject();
      c.put("name", ch.name);
      c.put("clients", ch.members.length);
      c.put("eventsIn", ch.eventsIn);
      c.put("eventsOut", ch.eventsOut);
      c.put("dropped", ch.dropped);
      ArrayNode to = c.putArray("propagateTo");
      for (ChannelState other : ch.propagateTo) {
        to.add(other.name);
      }
      c.put("propagateToNet", ch.config.propagateToNet());
      c.put("trace", ch.config.trace());
    }
    return Reply.ok(body);
  }

  private ChannelState find(String name) {
    return node.channelStates().stream().filter(c -> c.name.equals(name)).findFirst()
        .orElseThrow(() -> new BusException("no channel \"" + name + "\" on this node"));
  }

  private Reply showChannel(String name) {
    ChannelState ch = find(name);
    ObjectNode body = DataCodec.JSON.createObjectNode();
    body.put("name", ch.name);
    ArrayNode clients = body.putArray("clients");
    for (Session s : ch.members) {
      clients.add(client(s));
    }
    ObjectNode handlers = body.putObject("handlers");
    ch.handlers.forEach((event, group) -> {
      if (group.sessions.length > 0) {
        ArrayNode ids = handlers.putArray(event);
        for (Session s : group.sessions) {
          ids.add(s.name);
        }
      }
    });
    return Reply.ok(body);
  }

  private Reply showClient(String channel, String id) {
    ChannelState ch = find(channel);
    for (Session s : ch.members) {
      if (s.name.equals(id)) {
        return Reply.ok(client(s));
      }
    }
    throw new BusException("no client \"" + id + "\" on channel \"" + channel + "\"");
  }

  private static ObjectNode client(Session s) {
    ObjectNode c = DataCodec.JSON.createObjectNode();
    c.put("id", s.name);
    c.put("address", s.address);
    c.put("endpoint", s.listener.endpoint);
    c.put("connectedAt", java.time.Instant.ofEpochMilli(s.connectedAtMillis).toString());
    ArrayNode joined = c.putArray("channels");
    s.channels.forEach(ch -> joined.add(ch.name));
    c.put("eventsIn", s.eventsIn);
    c.put("eventsOut", s.eventsOut);
    c.put("dropped", s.dropped);
    return c;
  }

  private Reply peers() {
    ObjectNode body = DataCodec.JSON.createObjectNode();
    MeshBridge mesh = node.mesh();
    body.put("mesh", mesh != null);
    body.put("id", node.nodeId);
    ArrayNode list = body.putArray("peers");
    if (mesh == null) {
      return Reply.ok(body);
    }
    body.put("endpoint", mesh.endpoint());
    body.put("eventsOut", mesh.eventsOut());
    body.put("eventsIn", mesh.eventsIn());
    body.put("requestsOut", mesh.requestsOut());
    body.put("requestsIn", mesh.requestsIn());
    for (io.switchboard.bus.mesh.PeerInfo p : mesh.peers()) {
      ObjectNode o = list.addObject();
      o.put("id", p.id());
      o.put("endpoint", p.endpoint());
      o.put("state", p.state().name().toLowerCase(java.util.Locale.ROOT));
      o.put("kept", p.kept());
      o.put("links", p.links());
      o.put("sent", p.sent());
      o.put("received", p.received());
      o.put("queued", p.queued());
      o.put("dropped", p.dropped());
      o.put("duplicates", p.duplicates());
      o.put("reconnects", p.reconnects());
      if (p.roundTrip() != null) {
        o.put("roundTripMillis", p.roundTrip().toNanos() / 1e6);
      }
      ArrayNode wants = o.putArray("listensTo");
      ArrayNode handles = o.putArray("handles");
      for (String key : mesh.interestOf(p.id())) {
        if (key.startsWith("c:")) {
          wants.add(key.substring(2));
        } else if (key.startsWith("h:")) {
          handles.add(key.substring(2).replace('\0', ' '));
        }
      }
    }
    return Reply.ok(body);
  }

  private Reply stats() {
    ObjectNode body = DataCodec.JSON.createObjectNode();
    body.put("nodeId", node.nodeId);
    body.put("uptimeSeconds", (System.currentTimeMillis() - node.startedAtMillis) / 1000);
    int clients = 0;
    for (NodeListener l : node.listeners()) {
      for (Session ignored : l.sessions()) {
        clients++;
      }
    }
    body.put("clients", clients);
    body.put("channels", node.channelStates().size());
    body.put("eventsIn", node.eventsIn());
    body.put("eventsOut", node.eventsOut());
    body.put("dropped", node.dropped());
    body.put("requests", node.requests());
    body.put("errors", node.errors());
    node.endpoints().forEach(body.putArray("endpoints")::add);
    return Reply.ok(body);
  }
}

package io.switchboard.bus.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.ConfigException;
import io.switchboard.bus.MeshConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.bus.mesh.PeerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@link NodeConfig}s from JSON or YAML, matching keys without regard to case, and writes them back. */
public final class ConfigParser {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.ALLOW_COMMENTS)
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_TRAILING_COMMA)
      .build();
  private static final ObjectMapper YAML = new YAMLMapper();

  private static final String NODE_KEYS = "channels, listen, ipc, controlToken, clientQueue, clientQueueBytes, "
      + "maxEventSize, startControl, addr, port, connectToNet, dumpNet, mesh";
  private static final String MESH_KEYS = "id, listen, advertise, discovery, peers, multicast, dns, heartbeatMillis, "
      + "heartbeatTimeoutMillis, curveSecretKey";
  private static final String CHANNEL_KEYS = "propagateToChannels, propagateToNet, trace (or dumpToConsole)";

  private ConfigParser() {}

  /** Parses {@code text} into {@code builder}. */
  public static NodeConfig.Builder parse(String text, String source, boolean yaml, NodeConfig.Builder builder) {
    JsonNode root;
    try {
      root = (yaml ? YAML : JSON).readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, "not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage()
          + location(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(source, "", "expected an object at the top, with \"channels\"");
    }
    boolean sawChannels = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      JsonNode value = field.getValue();
      Field f = new Field(source, key, value);
      switch (key.toLowerCase(Locale.ROOT)) {
        case "channels" -> {
          sawChannels = true;
          parseChannels(f, builder);
        }
        case "listen" -> builder.listen(f.optionalText());
        case "ipc" -> builder.ipc(f.optionalText());
        case "controltoken" -> builder.controlToken(f.optionalText());
        case "clientqueue" -> builder.clientQueue((int) f.integer(1, Integer.MAX_VALUE));
        case "clientqueuebytes" -> builder.clientQueueBytes(f.integer(1, Long.MAX_VALUE));
        case "maxeventsize" -> builder.maxEventSize(f.integer(64, Integer.MAX_VALUE));
        case "startcontrol" -> builder.startControl(f.bool());
        case "addr" -> builder.multicastAddress(f.text());
        case "port" -> builder.multicastPort((int) f.integer(1, 65535));
        case "connecttonet" -> builder.connectToNet(f.bool());
        case "dumpnet" -> builder.dumpNet(f.bool());
        case "mesh" -> builder.mesh(parseMesh(f));
        default -> throw new ConfigException(source, key, "unknown key (expected one of: " + NODE_KEYS + ")");
      }
    }
    if (!sawChannels) {
      throw new ConfigException(source, "channels", "missing (expected an object of channels)");
    }
    return builder;
  }

  private static void parseChannels(Field f, NodeConfig.Builder builder) {
    if (!f.value.isObject()) {
      throw f.expected("an object of channels");
    }
    builder.clearChannels();
    for (Iterator<Map.Entry<String, JsonNode>> it = f.value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      String path = "channels." + name;
      if (name.isEmpty() || name.length() > 255 || name.chars().anyMatch(c -> c < 0x21)) {
        throw new ConfigException(f.source, path, "bad channel name (expected: 1 to 255 characters, no spaces)");
      }
      JsonNode body = entry.getValue();
      if (!body.isObject()) {
        throw new Field(f.source, path, body).expected("an object of channel rules");
      }
      Pattern propagate = null;
      boolean net = false;
      boolean trace = false;
      for (Iterator<Map.Entry<String, JsonNode>> rules = body.fields(); rules.hasNext(); ) {
        Map.Entry<String, JsonNode> rule = rules.next();
        Field r = new Field(f.source, path + "." + rule.getKey(), rule.getValue());
        switch (rule.getKey().toLowerCase(Locale.ROOT)) {
          case "propagatetochannels" -> propagate = r.regexOrFalse();
          case "propagatetonet" -> net = r.bool();
          case "trace", "dumptoconsole" -> trace = r.bool();
          default -> throw new ConfigException(f.source, r.key, "unknown key (expected one of: " + CHANNEL_KEYS + ")");
        }
      }
      builder.channel(new ChannelConfig(name, propagate, net, trace));
    }
  }

  private static MeshConfig parseMesh(Field f) {
    if (!f.value.isObject()) {
      throw f.expected("an object of mesh settings");
    }
    MeshConfig m = MeshConfig.of("tcp://0.0.0.0:" + MeshConfig.DEFAULT_PORT, List.of());
    for (Iterator<Map.Entry<String, JsonNode>> it = f.value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Field v = new Field(f.source, "mesh." + e.getKey(), e.getValue());
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "id" -> {
          String id = v.optionalText();
          if (id != null && !PeerConfig.validId(id)) {
            throw v.expected("1 to 64 printable ASCII characters");
          }
          m = m.withId(id);
        }
        case "listen" -> m = m.withListen(v.endpoint());
        case "advertise" -> m = m.withAdvertise(v.value.isNull() ? null : v.endpoint());
        case "discovery" -> {
          try {
            m = m.withDiscovery(MeshConfig.Discovery.valueOf(v.text().toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException bad) {
            throw v.expected("one of static, multicast, dns, none");
          }
        }
        case "peers" -> {
          if (!v.value.isArray()) {
            throw v.expected("an array of tcp://HOST:PORT endpoints");
          }
          List<String> peers = new ArrayList<>();
          for (JsonNode p : v.value) {
            peers.add(new Field(f.source, v.key + "[" + peers.size() + "]", p).endpoint());
          }
          m = m.withPeers(peers);
        }
        case "multicast" -> {
          String address = m.multicastAddress();
          int port = m.multicastPort();
          java.time.Duration interval = m.beaconInterval();
          String nif = m.multicastInterface();
          for (Iterator<Map.Entry<String, JsonNode>> mi = v.object().fields(); mi.hasNext(); ) {
            Map.Entry<String, JsonNode> me = mi.next();
            Field mv = new Field(f.source, v.key + "." + me.getKey(), me.getValue());
            switch (me.getKey().toLowerCase(Locale.ROOT)) {
              case "address" -> address = mv.text();
              case "port" -> port = (int) mv.integer(1, 65535);
              case "intervalmillis" -> interval = java.time.Duration.ofMillis(mv.integer(10, 3_600_000));
              case "interface" -> nif = mv.optionalText();
              default -> throw new ConfigException(f.source, mv.key, "unknown key (expected one of: address, port, "
                  + "intervalMillis, interface)");
            }
          }
          m = m.withMulticast(address, port, interval, nif);
        }
        case "dns" -> {
          String name = m.dnsName();
          String server = m.dnsServer();
          int port = m.dnsPort();
          for (Iterator<Map.Entry<String, JsonNode>> di = v.object().fields(); di.hasNext(); ) {
            Map.Entry<String, JsonNode> de = di.next();
            Field dv = new Field(f.source, v.key + "." + de.getKey(), de.getValue());
            switch (de.getKey().toLowerCase(Locale.ROOT)) {
              case "name" -> name = dv.text();
              case "server" -> server = dv.optionalText();
              case "port" -> port = (int) dv.integer(1, 65535);
              default -> throw new ConfigException(f.source, dv.key, "unknown key (expected one of: name, server, "
                  + "port)");
            }
          }
          m = m.withDns(name, server, port);
        }
        case "heartbeatmillis" -> m = m.withHeartbeat(java.time.Duration.ofMillis(v.integer(10, 3_600_000)),
            m.heartbeatTimeout());
        case "heartbeattimeoutmillis" -> m = m.withHeartbeat(m.heartbeatInterval(),
            java.time.Duration.ofMillis(v.integer(20, 3_600_000)));
        case "curvesecretkey" -> {
          String key = v.optionalText();
          if (key != null && key.length() != 40) {
            throw v.expected("a CURVE secret key of 40 Z85 characters (switchboard keygen makes one)");
          }
          m = m.withCurveSecretKey(key);
        }
        default -> throw new ConfigException(f.source, v.key, "unknown key (expected one of: " + MESH_KEYS + ")");
      }
    }
    try {
      return new MeshConfig(m.id(), m.listen(), m.advertise(), m.discovery(), m.peers(), m.multicastAddress(),
          m.multicastPort(), m.beaconInterval(), m.multicastInterface(), m.dnsName(), m.dnsServer(), m.dnsPort(),
          m.heartbeatInterval(), m.heartbeatTimeout(), m.curveSecretKey());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(f.source, "mesh", e.getMessage());
    }
  }

  /** The configuration as pretty-printed JSON in canonical keys. */
  public static String toJson(NodeConfig config) {
    return toTree(config).toPrettyString();
  }

  /** The configuration as a JSON tree in canonical keys. */
  public static ObjectNode toTree(NodeConfig config) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode channels = root.putObject("channels");
    for (ChannelConfig c : config.channels().values()) {
      ObjectNode ch = channels.putObject(c.name());
      if (c.propagateToChannels() == null) {
        ch.put("propagateToChannels", false);
      } else {
        ch.put("propagateToChannels", c.propagateToChannels().pattern());
      }
      ch.put("propagateToNet", c.propagateToNet());
      ch.put("trace", c.trace());
    }
    if (config.listen() != null) {
      root.put("listen", config.listen());
    }
    if (config.ipc() != null) {
      root.put("ipc", config.ipc());
    }
    if (config.controlToken() != null) {
      root.put("controlToken", "(set)");
    }
    root.put("startControl", config.startControl());
    root.put("clientQueue", config.clientQueue());
    root.put("clientQueueBytes", config.clientQueueBytes());
    root.put("maxEventSize", config.maxEventSize());
    root.put("addr", config.multicastAddress());
    root.put("port", config.multicastPort());
    root.put("connectToNet", config.connectToNet());
    root.put("dumpNet", config.dumpNet());
    MeshConfig m = config.mesh();
    if (m != null) {
      ObjectNode mesh = root.putObject("mesh");
      if (m.id() != null) {
        mesh.put("id", m.id());
      }
      mesh.put("listen", m.listen());
      if (m.advertise() != null) {
        mesh.put("advertise", m.advertise());
      }
      mesh.put("discovery", m.discovery().name().toLowerCase(Locale.ROOT));
      m.peers().forEach(mesh.putArray("peers")::add);
      ObjectNode mc = mesh.putObject("multicast");
      mc.put("address", m.multicastAddress());
      mc.put("port", m.multicastPort());
      mc.put("intervalMillis", m.beaconInterval().toMillis());
      if (m.multicastInterface() != null) {
        mc.put("interface", m.multicastInterface());
      }
      if (m.dnsName() != null) {
        ObjectNode dns = mesh.putObject("dns");
        dns.put("name", m.dnsName());
        if (m.dnsServer() != null) {
          dns.put("server", m.dnsServer());
        }
        dns.put("port", m.dnsPort());
      }
      mesh.put("heartbeatMillis", m.heartbeatInterval().toMillis());
      mesh.put("heartbeatTimeoutMillis", m.heartbeatTimeout().toMillis());
      if (m.curveSecretKey() != null) {
        mesh.put("curveSecretKey", "(set)");
      }
    }
    return root;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }

  /** One value at one key, with the checks that name both. */
  private record Field(String source, String key, JsonNode value) {
    ConfigException expected(String what) {
      return new ConfigException(source, key, "expected " + what + ", got " + value);
    }

    boolean bool() {
      if (!value.isBoolean()) {
        throw expected("true or false");
      }
      return value.booleanValue();
    }

    String text() {
      if (!value.isTextual()) {
        throw expected("a string");
      }
      return value.textValue();
    }

    String endpoint() {
      String t = text();
      if (!t.startsWith("tcp://") || t.lastIndexOf(':') <= "tcp://".length()) {
        throw expected("a tcp://HOST:PORT endpoint");
      }
      return t;
    }

    JsonNode object() {
      if (!value.isObject()) {
        throw expected("an object");
      }
      return value;
    }

    String optionalText() {
      return value.isNull() ? null : text();
    }

    long integer(long min, long max) {
      if (!value.canConvertToLong() || !value.isIntegralNumber() || value.longValue() < min
          || value.longValue() > max) {
        throw expected("an integer from " + min + " to " + max);
      }
      return value.longValue();
    }

    Pattern regexOrFalse() {
      if (value.isBoolean() && !value.booleanValue() || value.isNull()) {
        return null;
      }
      if (!value.isTextual()) {
        throw expected("a regular expression or false");
      }
      try {
        return Pattern.compile(value.textValue());
      } catch (PatternSyntaxException e) {
        throw new ConfigException(source, key, "not a valid regular expression: " + e.getDescription() + " near "
            + "index " + e.getIndex() + " of " + value);
      }
    }
  }
}

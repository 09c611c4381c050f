package io.switchboard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  @TempDir Path dir;

  @Test
  void theSeedsOwnConfigRunsUnchanged() {
    NodeConfig config = NodeConfig.load(Path.of("src/test/resources/seed/config.json"));
    assertThat(config.channels()).containsOnlyKeys("control", "A", "B");
    assertThat(config.channels().get("A").propagatesTo("B")).isTrue();
    assertThat(config.channels().get("A").propagatesTo("A")).as("never to itself").isFalse();
    assertThat(config.channels().get("control").propagateToChannels()).isNull();
    assertThat(config.connectToNet()).isTrue();
    assertThat(config.dumpNet()).isTrue();
    assertThat(config.multicastPort()).isEqualTo(4454);
    assertThat(config.startControl()).isTrue();
  }

  @Test
  void yamlAndCamelCaseWork() throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, """
        channels:
          orders: {propagateToChannels: "^audit$", trace: true}
          audit: {}
        listen: tcp://127.0.0.1:7600
        clientQueue: 50
        clientQueueBytes: 1048576
        """);
    NodeConfig config = NodeConfig.load(file);
    assertThat(config.channels().get("orders").trace()).isTrue();
    assertThat(config.channels().get("orders").propagatesTo("audit")).isTrue();
    assertThat(config.listen()).isEqualTo("tcp://127.0.0.1:7600");
    assertThat(config.clientQueue()).isEqualTo(50);
    assertThat(config.clientQueueBytes()).isEqualTo(1L << 20);
    assertThat(NodeConfig.parse(config.toJson(), "again", false).channels()).isEqualTo(config.channels());
  }

  @Test
  void errorsNameTheFileTheKeyAndWhatWasExpected() {
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {\"A\": {\"propagatetochannels\": \"(\"}}}", "x.json",
        false)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("x.json: channels.A.propagatetochannels: not a valid regular expression");
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {}, \"colour\": 1}", "x.json", false))
        .hasMessage("x.json: colour: unknown key (expected one of: channels, listen, ipc, controlToken, clientQueue, "
            + "clientQueueBytes, maxEventSize, startControl, addr, port, connectToNet, dumpNet, mesh)");
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {\"A\": {\"trace\": 1}}}", "x.json", false))
        .hasMessage("x.json: channels.A.trace: expected true or false, got 1");
    assertThatThrownBy(() -> NodeConfig.parse("{\"port\": 70000, \"channels\": {}}", "x.json", false))
        .hasMessage("x.json: port: expected an integer from 1 to 65535, got 70000");
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {}", "x.json", false))
        .hasMessageStartingWith("x.json: not valid JSON:").hasMessageContaining("line 1");
    assertThatThrownBy(() -> NodeConfig.parse("{}", "x.json", false))
        .hasMessage("x.json: channels: missing (expected an object of channels)");
    assertThatThrownBy(() -> NodeConfig.load(dir.resolve("absent.json")))
        .hasMessageContaining("absent.json: cannot read the file");
  }

  @Test
  void theMeshSectionParsesAndWritesBack() {
    NodeConfig config = NodeConfig.parse("""
        {"channels": {"A": {"propagateToNet": true}},
         "mesh": {"id": "n1", "listen": "tcp://0.0.0.0:5671", "discovery": "multicast",
                  "peers": ["tcp://10.0.0.2:5671"],
                  "multicast": {"address": "239.255.0.9", "port": 5999, "intervalMillis": 250},
                  "heartbeatMillis": 200, "heartbeatTimeoutMillis": 900}}
        """, "m.json", false);
    MeshConfig mesh = config.mesh();
    assertThat(mesh.id()).isEqualTo("n1");
    assertThat(mesh.listen()).isEqualTo("tcp://0.0.0.0:5671");
    assertThat(mesh.discovery()).isEqualTo(MeshConfig.Discovery.MULTICAST);
    assertThat(mesh.peers()).containsExactly("tcp://10.0.0.2:5671");
    assertThat(mesh.multicastPort()).isEqualTo(5999);
    assertThat(mesh.heartbeatTimeout()).isEqualTo(java.time.Duration.ofMillis(900));
    assertThat(mesh.toPeerConfig().discoveries()).hasSize(2);
    assertThat(NodeConfig.parse(config.toJson(), "again", false).mesh()).isEqualTo(mesh);
  }

  @Test
  void meshErrorsNameTheKey() {
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {}, \"mesh\": {\"discovery\": \"carrier-pigeon\"}}",
        "m.json", false)).hasMessage("m.json: mesh.discovery: expected one of static, multicast, dns, none, got "
            + "\"carrier-pigeon\"");
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {}, \"mesh\": {\"peers\": [\"10.0.0.2\"]}}",
        "m.json", false)).hasMessage("m.json: mesh.peers[0]: expected a tcp://HOST:PORT endpoint, got \"10.0.0.2\"");
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {}, \"mesh\": {\"discovery\": \"dns\"}}",
        "m.json", false)).hasMessageContaining("mesh.dns.name: missing");
    assertThatThrownBy(() -> NodeConfig.parse("{\"channels\": {}, \"mesh\": {\"heartbeatMillis\": 5000, "
        + "\"heartbeatTimeoutMillis\": 1000}}", "m.json", false))
        .hasMessageStartingWith("m.json: mesh: heartbeatTimeout");
  }
}

package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.demo.DemoStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on a real PostgreSQL: a throwaway cluster made with Debian's initdb and pg_ctl in a temporary directory,
 * as an unprivileged user when the test runs as root (PostgreSQL refuses root). Skipped, saying why, only where
 * PostgreSQL is not installed (Debian package postgresql; .ci/run installs it).
 */
class PostgresIT {
  private static Path bin;
  private static Path base;
  private static Path data;
  private static String user;
  private static int port;

  @TempDir Path dir;

  @BeforeAll
  static void startCluster() throws Exception {
    bin = findBin();
    Assumptions.assumeTrue(bin != null, "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
        + "apt-get install postgresql, as .ci/run does");
    base = Files.createTempDirectory("switchboard-pg");
    data = base.resolve("data");
    boolean root = "root".equals(System.getProperty("user.name"));
    user = root ? "postgres" : null;
    if (root) {
      UserPrincipal owner = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      Files.setOwner(base, owner);
    }
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
    run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "test", "-E", "UTF8",
        "--no-sync"));
    // PostgreSQL cannot bind port 0: take a free port, and take another if it was gone by the time it bound
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try (ServerSocket probe = new ServerSocket(0)) {
        port = probe.getLocalPort();
      }
      try {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60",
            "-l", base.resolve("log").toString(), "-o",
            "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        last = null;
        break;
      } catch (IOException e) {
        last = e;
      }
    }
    if (last != null) {
      throw last;
    }
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=test");
         Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE demo");
    }
  }

  private static Path findBin() throws IOException {
    Path lib = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(lib)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(lib)) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(Path::toString)).orElse(null);
    }
  }

  /** Runs a PostgreSQL tool, as the unprivileged user when there is one; fails with its output. */
  private static void run(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (user != null) {
      full.addAll(List.of("runuser", "-u", user, "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).directory(base.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String log = Files.exists(base.resolve("log")) ? Files.readString(base.resolve("log")) : "";
      throw new IOException(String.join(" ", full) + " failed:\n" + output + log);
    }
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (data != null && Files.exists(data.resolve("postmaster.pid"))) {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }
    if (base != null) {
      try (Stream<Path> all = Files.walk(base)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private DemoStack demo() {
    return DemoStack.builder().ports(0, 0, 0).ipc(dir.resolve("demo.sock"))
        .database("jdbc:postgresql://127.0.0.1:" + port + "/demo?user=test").start();
  }

  @Test
  void theDemoRunsOnPostgresqlAndItsDataSurvivesARestart() {
    try (Fixture fx = new Fixture(dir.resolve("unused"))) {
      try (DemoStack demo = demo()) {
        assertThat(demo.peopleDatabase().url()).startsWith("jdbc:postgresql:");
        Gateway gateway = demo.gateway();
        assertThat(GatewayTest.names(fx.get(gateway, "/people").json())).containsExactly("Alice", "Bob", "Carol");
        assertThat(fx.send(gateway, "POST", "/people?name=Dora", null).status()).isEqualTo(200);
        assertThat(fx.send(gateway, "POST", "/people?name=Dora", null).status()).isEqualTo(409);
        assertThat(fx.send(gateway, "POST", "/pets?name=Kit&kind=cat&owner=Dora", null).status()).isEqualTo(200);
        assertThat(fx.get(gateway, "/people/pets").status()).isEqualTo(400);
        assertThat(fx.get(gateway, "/status").json().get("status").asText()).isEqualTo("ok");
      }
      try (DemoStack again = demo()) {
        Gateway gateway = again.gateway();
        assertThat(GatewayTest.names(fx.get(gateway, "/people").json())).containsExactly("Alice", "Bob", "Carol",
            "Dora");
        assertThat(GatewayTest.names(fx.get(gateway, "/people/pets?owner=Dora").json().get("pets")))
            .containsExactly("Kit");
      }
    }
  }
}

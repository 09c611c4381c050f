package io.switchboard.testkit;

import io.switchboard.socket.Message;
import io.switchboard.socket.SocketType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * libzmq through pyzmq: each socket is a child Python process running {@code zmq_peer.py}, driven one command per
 * line. Needs a Python 3 with the {@code zmq} module ({@code apt-get install python3-zmq}); {@link #isAvailable()}
 * tells whether it is there.
 */
public final class LibzmqLibrary implements PeerLibrary {
  private static final HexFormat HEX = HexFormat.of();
  private final String python;
  private final Path script;
  private final String version;
  private final List<Process> processes = new ArrayList<>();

  /** Finds a Python with pyzmq; throws if there is none. */
  public LibzmqLibrary() {
    python = findPython();
    if (python == null) {
      throw new IllegalStateException("no python3 with the zmq module (install python3-zmq)");
    }
    try (InputStream in = LibzmqLibrary.class.getResourceAsStream("zmq_peer.py")) {
      script = Files.createTempFile("zmq_peer", ".py");
      Files.write(script, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Driver probe = new Driver()) {
      version = probe.banner;
    }
  }

  /** Whether a Python with pyzmq can be found. */
  public static boolean isAvailable() {
    return findPython() != null;
  }

  private static String findPython() {
    for (String candidate : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process p = new ProcessBuilder(candidate, "-c", "import zmq").redirectErrorStream(true).start();
        if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  @Override
  public String name() {
    return version;
  }

  @Override
  public Set<String> transports() {
    return Set.of("tcp", "ipc");
  }

  @Override
  public PeerSocket socket(SocketType type, byte[] identity) {
    Driver driver = new Driver();
    driver.call("socket " + type.name() + (identity.length > 0 ? " " + HEX.formatHex(identity) : ""));
    return driver;
  }

  @Override
  public void close() {
    synchronized (processes) {
      for (Process p : processes) {
        p.destroyForcibly();
      }
    }
    try {
      Files.deleteIfExists(script);
    } catch (IOException e) {
      // a temporary file
    }
  }

  /** One child process and its socket. */
  private final class Driver implements PeerSocket {
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final String banner;

    Driver() {
      try {
        process = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      synchronized (processes) {
        processes.add(process);
      }
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      banner = answer();
    }

    String call(String command) {
      try {
        in.write(command + "\n");
        in.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("libzmq peer died", e);
      }
      return answer();
    }

    private String answer() {
      String line;
      try {
        line = out.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (line == null) {
        throw new IllegalStateException("libzmq peer exited");
      }
      if (!line.startsWith("OK")) {
        throw new IllegalStateException("libzmq peer: " + line);
      }
      return line.length() > 3 ? line.substring(3) : "";
    }

    @Override public String bind(String endpoint) {
      return call("bind " + endpoint);
    }

    @Override public void connect(String endpoint) {
      call("connect " + endpoint);
    }

    @Override public void subscribe(byte[] prefix) {
      call("subscribe " + HEX.formatHex(prefix));
    }

    @Override public void send(Message message) {
      StringBuilder sb = new StringBuilder("send");
      for (byte[] frame : message.frames()) {
        sb.append(' ').append(frame.length == 0 ? "-" : HEX.formatHex(frame));
      }
      call(sb.toString());
    }

    @Override public Message receive(Duration timeout) {
      String result = call("recv " + timeout.toMillis());
      if (result.equals("TIMEOUT")) {
        return null;
      }
      List<byte[]> frames = new ArrayList<>();
      for (String word : result.split(" ")) {
        frames.add(word.equals("-") ? new byte[0] : HEX.parseHex(word));
      }
      return Message.of(frames);
    }

    @Override public void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override public void close() {
      if (!process.isAlive()) {
        return;
      }
      try {
        call("close");
        process.waitFor(5, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        // already gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.destroyForcibly();
      }
    }
  }
}

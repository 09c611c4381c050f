package io.switchboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.bus.BusChannel;
import io.switchboard.bus.BusClient;
import io.switchboard.bus.BusEvent;
import io.switchboard.bus.DataFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code switchboard bus}: emit, listen, request and handle events on a node's channels from the shell. */
@Command(
    name = "bus",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Talk to a bus node (switchboard node): emit events, listen to them, make and answer requests.",
    subcommands = {BusCommand.Emit.class, BusCommand.Listen.class, BusCommand.Request.class, BusCommand.Handle.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard bus listen B",
      "  switchboard bus emit A log '\"TESTE\"'",
      "  switchboard bus handle A echo",
      "  switchboard bus request A echo '{\"n\":1}'",
      BusCommand.EXIT_STATUS
    })
final class BusCommand implements Runnable {
  static final String EXIT_STATUS = "%nDurations: 500ms, 5s, 2m, 1h.%nExit status: 0 done, 1 failure (no node, "
      + "timeout, refused), 2 bad usage.";
  private static final class Json {
    // made on first use: loading Jackson takes a fifth of a second that commands without JSON save
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command (expected: emit, listen, request or handle)");
  }

  static JsonNode parseJson(CommandSpec spec, String what, String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ParameterException(spec.commandLine(), what + ": not JSON: " + e.getOriginalMessage()
          + " (quote strings: '\"text\"')");
    }
  }

  /** One event as one line of JSON: {@code {"channel":…,"event":…,"data":…,"from":…}}. */
  static String line(BusEvent event) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("channel", event.channel());
    o.put("event", event.event());
    o.set("data", event.json());
    o.put("from", event.from());
    return o.toString();
  }

  static void checkCount(CommandSpec spec, Long count) {
    if (count != null && count <= 0) {
      throw new ParameterException(spec.commandLine(), "--count: " + count + " (expected: > 0)");
    }
  }

  /** The one line on standard error that says the command is ready. */
  static void ready(CommandSpec spec, String line) {
    spec.commandLine().getErr().println(line);
    spec.commandLine().getErr().flush();
  }

  /**
   * Prints lines as they come, flushed per line, until {@code count} (forever without); fails if none comes within
   * {@code timeout} of the start or the previous one.
   */
  static void print(CommandSpec spec, BlockingQueue<String> lines, Long count, Duration timeout, String what)
      throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    for (long n = 0; count == null || n < count; n++) {
      String line = timeout == null ? lines.take() : lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new SocketCommand.CommandFailedException("no " + what + " within " + Durations.format(timeout));
      }
      out.println(line);
      out.flush();
    }
  }

  static byte[] encode(JsonNode value) {
    try {
      return Json.MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code bus emit}. */
  @Command(
      name = "emit",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Emit one event on CHANNEL, or, without DATA_JSON, one event per line of standard input (each "
          + "line a JSON value). Exits once the node has routed every event.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  switchboard bus emit A log '\"TESTE\"'",
        "  printf '1\\n{\"a\":2}\\n' | switchboard bus emit A numbers",
        EXIT_STATUS
      })
  static final class Emit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand BusCommand bus;
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "CHANNEL") String channel;
    @Parameters(index = "1", paramLabel = "EVENT") String event;
    @Parameters(index = "2", paramLabel = "DATA_JSON", arity = "0..1") String data;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
        description = "Fail if the node has not taken every event within DURATION (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws IOException, InterruptedException {
      JsonNode single = data == null ? null : parseJson(spec, "DATA_JSON", data);
      try (BusClient client = node.connect(spec)) {
        BusChannel ch = client.join(channel);
        NodeOptions.await(ch.joined(), timeout, node.endpoint(spec));
        if (single != null) {
          emit(ch, single);
        } else {
          BufferedReader in = new BufferedReader(new InputStreamReader(bus.main.in, StandardCharsets.UTF_8));
          int number = 0;
          for (String text = in.readLine(); text != null; text = in.readLine()) {
            number++;
            if (!text.isBlank()) {
              emit(ch, parseJson(spec, "standard input, line " + number, text));
            }
          }
        }
        NodeOptions.await(client.flush(), timeout, node.endpoint(spec));
        if (!node.errors.isEmpty()) {
          throw new SocketCommand.CommandFailedException(node.errors.get(0).getMessage());
        }
      }
      return 0;
    }

    private void emit(BusChannel ch, JsonNode value) {
      if (!ch.emitEncoded(event, DataFormat.JSON, encode(value))) {
        throw new SocketCommand.CommandFailedException("the node at " + node.endpoint(spec)
            + " takes no more events (its queue stayed full)");
      }
    }
  }

  /** {@code bus listen}. */
  @Command(
      name = "listen",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = {
        "Print the events of CHANNEL whose name matches PATTERN (default: every event), one JSON object per line: "
            + "{\"channel\":…,\"event\":…,\"data\":…,\"from\":…}.",
        "PATTERN is a name, a NATS-style wildcard on dot-separated tokens (order.* one token, order.> the rest) or "
            + "a regular expression between slashes (/^log/). One line on standard error says when it listens."
      },
      footerHeading = "%nExamples:%n",
      footer = {
        "  switchboard bus listen B",
        "  switchboard bus listen A 'order.>' -n 10 --timeout 30s",
        EXIT_STATUS
      })
  static final class Listen implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "CHANNEL") String channel;
    @Parameters(index = "1", paramLabel = "PATTERN", arity = "0..1", defaultValue = ">") String pattern;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit 0 after N events.")
    Long count;

    @Option(names = "--timeout", paramLabel = "DURATION",
        description = "Exit 1 if no event arrives within DURATION (of the start or the previous one).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
      checkCount(spec, count);
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      try (BusClient client = node.connect(spec)) {
        BusChannel ch = client.join(channel);
        try {
          ch.on(pattern, e -> lines.add(line(e)));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "PATTERN: " + e.getMessage());
        }
        NodeOptions.await(ch.joined(), timeout == null ? Duration.ofSeconds(10) : timeout, node.endpoint(spec));
        ready(spec, "listening to " + channel + " (" + pattern + ") at " + node.endpoint(spec));
        print(spec, lines, count, timeout, "event");
      }
      return 0;
    }
  }

  /** {@code bus request}. */
  @Command(
      name = "request",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Send a request for EVENT on CHANNEL to one of its handlers and print the reply's data as JSON.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  switchboard bus request A echo '{\"n\":1}'",
        "  switchboard bus request A echo '\"hi\"' --timeout 500ms",
        EXIT_STATUS
      })
  static final class Request implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "CHANNEL") String channel;
    @Parameters(index = "1", paramLabel = "EVENT") String event;
    @Parameters(index = "2", paramLabel = "DATA_JSON") String data;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
        description = "Fail if no reply comes within DURATION (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
      JsonNode value = parseJson(spec, "DATA_JSON", data);
      try (BusClient client = node.connect(spec)) {
        BusChannel ch = client.join(channel);
        BusEvent reply = NodeOptions.await(ch.request(event, value, timeout), timeout.plusSeconds(1),
            node.endpoint(spec));
        spec.commandLine().getOut().println(reply.json().toString());
      }
      return 0;
    }
  }

  /** {@code bus handle}. */
  @Command(
      name = "handle",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Answer every request for EVENT on CHANNEL with its own data (an echo service), printing each "
          + "request as listen does. Several handlers of one event share its requests.",
      footerHeading = "%nExamples:%n",
      footer = {
        "  switchboard bus handle A echo",
        "  switchboard bus handle A echo -n 1",
        EXIT_STATUS
      })
  static final class Handle implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions node;

    @Parameters(index = "0", paramLabel = "CHANNEL") String channel;
    @Parameters(index = "1", paramLabel = "EVENT") String event;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Exit 0 after answering N requests.")
    Long count;

    @Override
    public Integer call() throws InterruptedException {
      checkCount(spec, count);
      LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
      try (BusClient client = node.connect(spec)) {
        BusChannel ch = client.join(channel);
        NodeOptions.await(ch.handle(event, request -> {
          lines.add(line(request));
          return request.json();
        }), Duration.ofSeconds(10), node.endpoint(spec));
        ready(spec, "handling " + event + " on " + channel + " at " + node.endpoint(spec));
        print(spec, lines, count, null, "request");
        // the last reply is sent by the I/O thread right after the handler returns: let it reach the node
        NodeOptions.await(client.flush(), Duration.ofSeconds(10), node.endpoint(spec));
      }
      return 0;
    }
  }
}

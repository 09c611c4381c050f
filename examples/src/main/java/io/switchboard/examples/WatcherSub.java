package io.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.socket.Context;
import io.switchboard.socket.InterruptedOperationException;
import io.switchboard.socket.Message;
import io.switchboard.socket.Socket;
import io.switchboard.socket.SocketType;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code watcher-sub}: the book's zmq-watcher-sub.js: prints {@code File "F" changed at DATE} for each message, DATE
 * in the local time zone in the form of JavaScript's {@code new Date(ms).toString()}, as {@code Tue Mar 05 2024
 * 14:03:07 GMT+0100 (Central European Standard Time)}. A message that is not the expected JSON is reported on
 * standard error and skipped.
 */
@Command(
    name = "watcher-sub",
    mixinStandardHelpOptions = true,
    description = "SUB: print 'File \"F\" changed at DATE' for each watcher-pub message (port 5432).")
final class WatcherSub implements Callable<Integer> {
  /** JavaScript's {@code Date.prototype.toString()} format. */
  static final DateTimeFormatter JS_DATE =
      DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT'xx (zzzz)", Locale.US);

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Connect to tcp://localhost:N (default 5432).")
  int port = WatcherPub.DEFAULT_PORT;

  @Option(names = "--endpoint", paramLabel = "EP", description = "Connect to EP instead.")
  String endpoint;

  @Option(names = "--count", paramLabel = "N", description = "Exit after N messages (default: never).")
  int count;

  @Override
  public Integer call() {
    String ep = Options.endpoint(spec, endpoint, "tcp://localhost:", port);
    PrintWriter out = spec.commandLine().getOut();
    try (Context context = new Context(); Socket sub = context.socket(SocketType.SUB)) {
      sub.subscribe("");
      sub.connect(ep);
      for (int received = 0; count <= 0 || received < count; received++) {
        Message message = sub.receive();
        out.println(describe(message.frame(0)));
        out.flush();
      }
    } catch (InterruptedOperationException stopped) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The line for one message. */
  static String describe(byte[] frame) {
    try {
      JsonNode json = Json.parse(frame);
      JsonNode file = json.get("file");
      JsonNode timestamp = json.get("timestamp");
      if (json.path("type").asText().equals("changed") && file != null && timestamp != null
          && timestamp.canConvertToLong()) {
        return "File \"" + file.asText() + "\" changed at " + date(timestamp.asLong());
      }
      return "Unrecognized message: " + Json.text(json);
    } catch (IOException e) {
      return "Unrecognized message (not JSON)";
    }
  }

  static String date(long epochMillis) {
    return JS_DATE.format(Instant.ofEpochMilli(epochMillis).atZone(ZoneId.systemDefault()));
  }
}

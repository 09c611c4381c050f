package io.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.BusClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard ctl}: the node's control commands, one from the command line or many in a REPL. */
@Command(
    name = "ctl",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Run a control command on a bus node and print its JSON reply, or, with no COMMAND, open a REPL (history, "
          + "tab completion, help).",
      "Commands: showconfig, reloadconfig PATH (a path the node can read), channels, showchannel NAME, "
          + "showclient CHANNEL ID, stats, peers (the other nodes of the mesh). The REPL also takes netcluster's "
          + "forms, showchannel(\"A\"). Over tcp, control needs the node's token (--token)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  switchboard ctl",
      "  switchboard ctl stats",
      "  switchboard ctl peers",
      "  switchboard ctl showchannel A",
      "  switchboard ctl reloadconfig \"$PWD/config.json\"",
      "  switchboard ctl --node tcp://10.0.0.5:7600 --token s3cret channels",
      "%nExit status: 0 done, 1 failure (no node, timeout, the node's error), 2 bad usage."
    })
final class CtlCommand implements Callable<Integer> {
  private static final Pattern CALL = Pattern.compile("(\\w+)\\s*\\((.*)\\)\\s*;?");
  private static final List<String> COMMANDS =
      List.of("showconfig", "reloadconfig", "channels", "showchannel", "showclient", "stats", "peers", "help",
          "exit");

  @Spec CommandSpec spec;
  @Mixin NodeOptions node;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
      description = "Fail if the node does not answer within DURATION (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "A command and its arguments.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    try (BusClient client = node.connect(spec)) {
      if (!command.isEmpty()) {
        print(spec.commandLine().getOut(), run(client, command));
        return 0;
      }
      repl(client);
    }
    return 0;
  }

  private JsonNode run(BusClient client, List<String> words) throws InterruptedException {
    List<String> resolved = new ArrayList<>(words);
    if (resolved.get(0).equals("reloadconfig") && resolved.size() == 2) {
      resolved.set(1, Path.of(resolved.get(1)).toAbsolutePath().toString());
    }
    return NodeOptions.await(client.control(timeout, resolved.toArray(String[]::new)), timeout.plusSeconds(1),
        node.endpoint(spec));
  }

  private static void print(PrintWriter out, JsonNode reply) {
    out.println(reply.toPrettyString());
    out.flush();
  }

  private void repl(BusClient client) throws IOException, InterruptedException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      LineReader reader = LineReaderBuilder.builder()
          .terminal(terminal)
          .appName("switchboard ctl")
          .completer(new StringsCompleter(COMMANDS))
          .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".switchboard",
              "ctl_history"))
          .build();
      PrintWriter out = terminal.writer();
      out.println("connected to " + node.endpoint(spec) + "; 'help' lists the commands, 'exit' or Ctrl-D leaves");
      while (true) {
        String line;
        try {
          line = reader.readLine("ctl> ");
        } catch (UserInterruptException e) {
          continue;
        } catch (EndOfFileException e) {
          return;
        }
        List<String> words = words(line);
        if (words.isEmpty()) {
          continue;
        }
        if (words.get(0).equals("exit") || words.get(0).equals("quit")) {
          return;
        }
        try {
          print(out, run(client, words));
        } catch (SocketCommand.CommandFailedException e) {
          out.println("error: " + e.getMessage());
          out.flush();
        }
      }
    }
  }

  /** The words of a REPL line: {@code showchannel A} or netcluster's {@code showchannel("A")}. */
  static List<String> words(String line) {
    String text = line.strip();
    Matcher call = CALL.matcher(text);
    List<String> words = new ArrayList<>();
    if (call.matches()) {
      words.add(call.group(1));
      for (String arg : call.group(2).split(",")) {
        String a = arg.strip().replaceAll("^[\"']|[\"']$", "").replace("\\\\", "\\");
        if (!a.isEmpty()) {
          words.add(a);
        }
      }
      return words;
    }
    for (String w : text.split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}

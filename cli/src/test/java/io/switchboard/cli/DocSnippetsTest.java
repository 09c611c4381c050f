package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The code in README.md and docs/ cannot rot: every {@code ```java} block compiles against this module's test
 * class path, the README's "Thirty seconds" examples run, and every {@code ./switchboard} command line in a
 * {@code ```sh} block parses with the commands as they are.
 *
 * <p>A java block that declares a class is compiled as it is. Any other block is a method body: its leading
 * {@code import} lines become the unit's imports, it gets the imports in {@link #IMPORTS}, and it may use the
 * variables in {@link #GIVENS} without declaring them, as the docs' fragments do. A {@code ...} standing alone (not
 * varargs) is elided code.
 */
class DocSnippetsTest {
  /** What a fragment may use without importing it. */
  private static final List<String> IMPORTS = List.of(
      "io.switchboard.devices.*",
      "io.switchboard.socket.*",
      "io.switchboard.socket.security.*",
      "java.nio.*",
      "java.nio.charset.*",
      "java.nio.file.*",
      "java.time.*",
      "java.util.*");

  /**
   * What a fragment may use without declaring it: fields of the wrapping class, so that a fragment's own local
   * variable of the same name simply shadows them. Kept to the names the docs use undeclared.
   */
  private static final List<String> GIVENS = List.of(
      "Context context",
      "Socket rep",
      "String backend");   // an endpoint, as in devices.md's worker pool

  private static final Pattern FENCE = Pattern.compile("^```\\s*(\\w*)\\s*$");
  private static final Pattern HEADING = Pattern.compile("^#+\\s+(.*?)\\s*$");
  private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");
  private static final Pattern TYPE =
      Pattern.compile("^\\s*(?:public\\s+|final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)",
          Pattern.MULTILINE);
  /** An elision: {@code ...} after a space or bracket, and not followed by a name (as varargs are). */
  private static final Pattern ELISION = Pattern.compile("(^|[\\s{(;])\\.\\.\\.(?=\\s|[});]|$)", Pattern.MULTILINE);
  private static final Pattern INVOCATION = Pattern.compile("(?:^|[|;&(]|&&)\\s*\\./switchboard((?:\\s[^|;&#)]*)?)");

  /** The commands the {@code ./switchboard} launcher runs itself rather than passing them to the jar. */
  private static final List<String> LAUNCHER_COMMANDS = List.of("bench");

  private static final Path ROOT = root();

  /** A fenced block of a Markdown file: its language, the line of its opening fence, its text. */
  record Block(Path file, int line, String language, String heading, String text) {
    String where() {
      return ROOT.relativize(file) + ":" + line;
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompiles(@TempDir Path classes) {
    List<Block> java = blocks().stream().filter(b -> b.language().equals("java")).toList();
    assertThat(java).as("java blocks in the docs").isNotEmpty();
    return java.stream().map(block -> DynamicTest.dynamicTest(block.where(), () -> {
      List<String> errors = compile(block, classes.resolve("b" + block.line()));
      assertThat(errors).as("%s does not compile", block.where()).isEmpty();
    }));
  }

  /** Compiles and runs the README's java block under {@code heading} and checks what it prints. */
  @ParameterizedTest(name = "the README's example under \"{0}\" prints {1}")
  @CsvSource(delimiter = '|', textBlock = """
      Thirty seconds in Java            | hello world
      Thirty seconds on the bus         | TESTE
      Thirty seconds behind the gateway | {"greeting":"hello ada"}
      Seeing it run                     | switchboard_node_channels 3.0
      """)
  void theReadmesExampleRunsAndPrints(String heading, String expected, @TempDir Path classes) throws Exception {
    Block example = readmeBlock(heading);
    assertThat(compile(example, classes)).as("%s compiles", example.where()).isEmpty();

    String output = runCapturingStdout(classes, className(example));

    assertThat(output).as("what %s prints", example.where()).isEqualToIgnoringNewLines(expected);
  }

  @Test
  void theReadmesMeshExampleRunsAndPrintsTheEventFromTheOtherNode(@TempDir Path classes) throws Exception {
    Block example = readmeBlock("Thirty seconds across machines");
    assertThat(compile(example, classes)).as("%s compiles", example.where()).isEmpty();
    assertThat(runCapturingStdout(classes, className(example))).startsWith("TESTE from c-");
  }

  private Block readmeBlock(String heading) {
    return blocks().stream()
        .filter(b -> b.file().getFileName().toString().equals("README.md"))
        .filter(b -> b.language().equals("java") && b.heading().equals(heading))
        .findFirst()
        .orElseThrow(() -> new AssertionError("README.md has no java block under '" + heading + "'"));
  }

  @TestFactory
  Stream<DynamicTest> everySwitchboardCommandLineInAShellBlockParses() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Block block : blocks()) {
      if (!List.of("sh", "bash", "shell").contains(block.language())) {
        continue;
      }
      String[] lines = block.text().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        int first = i;
        StringBuilder command = new StringBuilder(lines[i]);
        while (command.toString().endsWith("\\") && i + 1 < lines.length) {   // a continued line
          command.setLength(command.length() - 1);
          command.append(' ').append(lines[++i]);
        }
        Matcher invocation = INVOCATION.matcher(stripComment(command.toString()));
        while (invocation.find()) {
          List<String> args = shellWords(invocation.group(1));
          String where = ROOT.relativize(block.file()) + ":" + (block.line() + 1 + first);
          tests.add(DynamicTest.dynamicTest(where + " switchboard " + String.join(" ", args),
              () -> assertParses(where, args)));
        }
      }
    }
    assertThat(tests).as("./switchboard command lines in the docs").isNotEmpty();
    return tests.stream();
  }

  /** Parses a command line as {@code switchboard} would, without running it. */
  private static void assertParses(String where, List<String> args) {
    if (!args.isEmpty() && LAUNCHER_COMMANDS.contains(args.get(0))) {
      return;
    }
    StringWriter out = new StringWriter();
    CommandLine commandLine = Main.commandLine(InputStream.nullInputStream(), new PrintWriter(out),
        new PrintWriter(out));
    if (!args.isEmpty()) {
      assertThat(commandLine.getSubcommands()).as("%s: switchboard's commands", where).containsKey(args.get(0));
    }
    try {
      commandLine.parseArgs(args.toArray(String[]::new));
    } catch (ParameterException e) {
      throw new AssertionError(where + ": switchboard " + String.join(" ", args) + ": " + e.getMessage(), e);
    }
  }

  /** Compiles a block into {@code classes}; returns the errors, each as {@code file:line: message}. */
  private static List<String> compile(Block block, Path classes) throws IOException {
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("a JDK's compiler").isNotNull();
    Source source = source(block);
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
          "-proc:none", "-encoding", "UTF-8");
      javac.getTask(null, files, diagnostics, options, null, List.of(source)).call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> ROOT.relativize(block.file()) + ":" + source.docLine(d.getLineNumber()) + ": "
            + d.getMessage(Locale.ROOT))
        .collect(Collectors.toList());
  }

  /** A block as a compilation unit that remembers where its lines came from. */
  private static final class Source extends SimpleJavaFileObject {
    private final String code;
    private final Block block;
    private final int header;

    Source(String className, String code, Block block, int header) {
      super(Path.of(className + ".java").toUri(), Kind.SOURCE);
      this.code = code;
      this.block = block;
      this.header = header;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }

    /** The line of the Markdown file that a line of the unit came from. */
    long docLine(long unitLine) {
      return unitLine <= header ? block.line() : block.line() + unitLine - header;
    }
  }

  private static Source source(Block block) {
    Matcher type = TYPE.matcher(block.text());
    if (type.find()) {
      return new Source(type.group(1), block.text(), block, 0);
    }
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : block.text().split("\n", -1)) {
      if (IMPORT.matcher(line).matches()) {
        imports.append(line.strip()).append(' ');
        body.append('\n');   // keeps the body's lines where they were
      } else {
        body.append(line).append('\n');
      }
    }
    String className = className(block);
    StringBuilder header = new StringBuilder();
    header.append(imports).append('\n');
    IMPORTS.forEach(i -> header.append("import ").append(i).append(";\n"));
    header.append("@SuppressWarnings(\"all\") public class ").append(className).append(" {\n");
    GIVENS.forEach(g -> header.append("  static ").append(g).append(";\n"));
    header.append("  public static void snippet() throws Exception {\n");
    int headerLines = (int) header.chars().filter(c -> c == '\n').count();
    String code = header + ELISION.matcher(body).replaceAll("$1/* ... */") + "  }\n}\n";
    return new Source(className, code, block, headerLines);
  }

  private static String className(Block block) {
    String file = block.file().getFileName().toString().replaceAll("\\W", "_");
    return "Snippet_" + file + "_" + block.line();
  }

  /** Runs {@code snippet()} of a compiled block and returns what it printed on standard output. */
  private static String runCapturingStdout(Path classes, String className) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        DocSnippetsTest.class.getClassLoader())) {
      Method snippet = loader.loadClass(className).getMethod("snippet");
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        snippet.invoke(null);
      } catch (InvocationTargetException e) {
        throw new AssertionError("the snippet threw " + e.getCause(), e.getCause());
      } finally {
        System.setOut(stdout);
      }
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Every fenced block of README.md, docs/*.md and docs/patterns/*.md. */
  private static List<Block> blocks() {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    for (Path dir : List.of(ROOT.resolve("docs"), ROOT.resolve("docs/patterns"))) {
      try (Stream<Path> listing = Files.list(dir)) {
        listing.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<Block> blocks = new ArrayList<>();
    for (Path file : files) {
      blocks.addAll(blocks(file));
    }
    return blocks;
  }

  static List<Block> blocks(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Block> blocks = new ArrayList<>();
    String heading = "";
    for (int i = 0; i < lines.size(); i++) {
      Matcher h = HEADING.matcher(lines.get(i));
      if (h.matches()) {
        heading = h.group(1);
        continue;
      }
      Matcher fence = FENCE.matcher(lines.get(i));
      if (!fence.matches()) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      blocks.add(new Block(file, start + 1, fence.group(1).toLowerCase(Locale.ROOT), heading, text.toString()));
    }
    return blocks;
  }

  /** A shell line without its {@code #} comment (a {@code #} that starts a word, outside quotes). */
  static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** The words of a simple shell command: split at blanks, quotes removed; stops at a redirection. */
  static List<String> shellWords(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '>' || c == '<') {
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /** The repository root: the nearest directory up from here with README.md and docs/. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
  }
}

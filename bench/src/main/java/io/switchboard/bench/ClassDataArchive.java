package io.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application class-data sharing archive (AppCDS, JDK 10+) of the classes the peer JVMs load, so that each of the
 * few hundred peer JVMs of a full run starts faster (a Switchboard peer about 1.2 s to 0.9 s here). It only changes
 * how classes are loaded, not the code that runs or how it is compiled, so the figures are the same with and
 * without it; what it saves is minutes of process starts.
 *
 * <p>Built once per run in a temporary directory: one short inproc run of each Java library records the classes it
 * loads ({@code -XX:DumpLoadedClassList}), then {@code java -Xshare:dump} writes the archive. The JDK's CDS needs a
 * class path of jar files only, so {@code run.sh} puts the bench module's jar on it, not its class directory. When
 * any step fails, {@link #prepare} says why and the peers start without it.
 *
 * @param archive the archive file, or null if there is none
 * @param note what was built, or why not, for the report's environment line
 */
record ClassDataArchive(Path archive, String note) {
  private static final long STEP_SECONDS = 60;

  /** The options that make a peer JVM use the archive: none without one. */
  List<String> jvmOptions() {
    if (archive == null) {
      return List.of();
    }
    // -Xshare:auto: a JVM that cannot map the archive runs without it; the log tag keeps its warnings off stdout.
    return List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  }

  /**
   * Builds the archive for peers started with {@code javaBase} ({@code java} and its options, without the class
   * path) and {@code classPath}; never throws.
   */
  static ClassDataArchive prepare(List<String> javaBase, String classPath) {
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !Files.isRegularFile(Path.of(entry))) {
        return new ClassDataArchive(null, "no class-data archive (" + entry + " is not a jar)");
      }
    }
    try {
      Path dir = Files.createTempDirectory("sb-bench-cds");
      dir.toFile().deleteOnExit();
      Path classList = dir.resolve("classes.lst");
      List<String> classes = new ArrayList<>();
      for (Library library : new Library[] {Library.SWITCHBOARD, Library.JEROMQ}) {
        Path list = dir.resolve(library.argument() + ".lst");
        List<String> record = new ArrayList<>(javaBase);
        record.addAll(List.of("-XX:DumpLoadedClassList=" + list, "-cp", classPath, ThroughputPeer.class.getName(),
            "role=inproc", "lib=" + library.argument(), "pattern=pushpull", "hwm=1000", "size=16", "count=1000",
            "warmup=100", "maxSeconds=" + STEP_SECONDS, "firstSeconds=10", "stallSeconds=10", "limitSeconds=10"));
        String failure = run(record, dir);
        if (failure != null || !Files.isRegularFile(list)) {
          return new ClassDataArchive(null, "no class-data archive (recording " + library.displayName()
              + "'s classes failed: " + failure + ")");
        }
        classes.addAll(Files.readAllLines(list));
        list.toFile().deleteOnExit();
      }
      Files.write(classList, classes);
      classList.toFile().deleteOnExit();
      Path archive = dir.resolve("peers.jsa");
      List<String> dump = new ArrayList<>(javaBase);
      dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
          "-cp", classPath));
      String failure = run(dump, dir);
      if (failure != null || !Files.isRegularFile(archive)) {
        return new ClassDataArchive(null, "no class-data archive (-Xshare:dump failed: " + failure + ")");
      }
      archive.toFile().deleteOnExit();
      return new ClassDataArchive(archive, "peer JVMs share a class-data archive (AppCDS) of "
          + classes.size() + " class loads");
    } catch (IOException | RuntimeException e) {
      return new ClassDataArchive(null, "no class-data archive (" + e + ")");
    }
  }

  /** Runs {@code command} to its end with empty input; returns null, or what went wrong. */
  private static String run(List<String> command, Path dir) throws IOException {
    Path log = dir.resolve("step.log");
    log.toFile().deleteOnExit();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // The inproc peer measures and exits by itself; its input stays open so that it is not stopped early.
    try {
      if (!process.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "timed out after " + STEP_SECONDS + " s";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return "interrupted";
    } finally {
      process.getOutputStream().close();
    }
    if (process.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      return "status " + process.exitValue() + ": "
          + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
    return null;
  }
}

package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RunnerSupportTest {
  @Test
  void aMeasurementIsReadAfterItsSessionClosedAndItsFilesAreDeleted() {
    AtomicReference<Path> file = new AtomicReference<>();
    Outcome outcome = RunnerSupport.measure(session -> {
      try {
        file.set(Files.createFile(session.ipcPath()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return "messages=10 nanos=1000";
    }, (line, warnings) -> {
      assertThat(file.get()).doesNotExist();
      return Outcome.measured(new double[] {RunnerSupport.fields(line).size()}, false, 1, warnings);
    }, line -> "RESULT line '" + line + "'");

    assertThat(outcome.ok()).isTrue();
    assertThat(outcome.values()).containsExactly(2);
  }

  @Test
  void aFailureOrAnUnreadableReportBecomesAFailedOutcome() {
    Outcome failed = RunnerSupport.<String>measure(session -> {
      throw new BenchException("peer died", "its stderr");
    }, (line, warnings) -> Outcome.measured(new double[] {1}, false, 1, warnings), line -> line);
    Outcome unreadable = RunnerSupport.measure(session -> "p50=x",
        (line, warnings) -> Outcome.measured(new double[] {Long.parseLong(RunnerSupport.fields(line).get("p50"))},
            false, 1, warnings), line -> "RESULT line '" + line + "'");
    Outcome notApplicable = RunnerSupport.<String>measure(session -> {
      throw new BenchException("no ipc", "");
    }, (line, warnings) -> Outcome.measured(new double[] {1}, false, 1, warnings), line -> line,
        (e, warnings) -> Outcome.notApplicable("could not run ipc: " + e.getMessage()));

    assertThat(failed.error()).isEqualTo("peer died");
    assertThat(failed.detail()).isEqualTo("its stderr");
    assertThat(unreadable.error()).startsWith("unreadable RESULT line 'p50=x': java.lang.NumberFormatException");
    assertThat(notApplicable.notApplicable()).isEqualTo("could not run ipc: no ipc");
  }

  @Test
  void kibPerIdleConnectionIsNaNWithoutBothSamples() {
    Map<String, String> fields = RunnerSupport.fields("RESULT rssBefore=1024 rssAfter=11264 heapBefore=-1 heapAfter=9");

    assertThat(RunnerSupport.kibPer(fields, "rss", 10)).isEqualTo(1.0);
    assertThat(RunnerSupport.kibPer(fields, "heap", 10)).isNaN();
    assertThat(RunnerSupport.kibPer(fields, "direct", 10)).isNaN();
  }

  @Test
  void runnerOptionsTakeTheCommonOptionsAndHandTheRestOn() {
    class Options extends RunnerOptions {
      boolean own;

      @Override
      int parseOption(String[] args, int i) {
        if (!args[i].equals("--own")) {
          throw new IllegalArgumentException("unknown option: " + args[i]);
        }
        own = true;
        return i;
      }
    }
    Options options = new Options();
    options.parse(new String[] {"--quick", "--only", "p99", "--own", "--out", "dir", "--jvm-opt", "-Xss1m", "--list"});

    assertThat(options.quick).isTrue();
    assertThat(options.own).isTrue();
    assertThat(options.list).isTrue();
    assertThat(options.only).containsExactly("p99");
    assertThat(options.out).isEqualTo(Path.of("dir"));
    assertThat(options.jvmOptions).containsExactly("-Xss1m");
    assertThat(options.repeat()).isEqualTo(1);
    assertThatThrownBy(() -> new Options().parse(new String[] {"--other"})).hasMessage("unknown option: --other");
    assertThatThrownBy(() -> new Options().parse(new String[] {"--out"})).hasMessage("--out: missing value");
    assertThatThrownBy(() -> RunnerOptions.checkRepeat(0)).hasMessage("--repeat: 0 (expected: 1 to 100)");
  }

  @Test
  void casesAreSelectedByNameOrRowName() {
    List<BusBenchCase> cases = BusBenchCase.all(true, new int[] {1, 2}, 10);

    assertThat(NamedCase.select(cases, List.of())).isEqualTo(cases);
    assertThat(NamedCase.select(cases, List.of("p99", "idle"))).extracting(BusBenchCase::name)
        .containsExactly("request/reply 16B", "request/reply 1KiB", "idle clients 10");
  }
}

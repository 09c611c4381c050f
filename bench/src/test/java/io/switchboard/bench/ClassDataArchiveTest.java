package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchiveTest {
  @TempDir Path dir;

  @Test
  void aClassDirectoryOnTheClassPathMeansNoArchiveAndNoOptions() {
    ClassDataArchive none = ClassDataArchive.prepare(List.of("java"), dir.toString());

    assertThat(none.archive()).isNull();
    assertThat(none.note()).contains("is not a jar");
    assertThat(none.jvmOptions()).isEmpty();
  }

  @Test
  void anArchiveIsMappedWithSharingOnlyWherePossible() {
    ClassDataArchive archive = new ClassDataArchive(dir.resolve("peers.jsa"), "built");

    assertThat(archive.jvmOptions()).contains("-Xshare:auto", "-XX:SharedArchiveFile=" + dir.resolve("peers.jsa"));
  }
}

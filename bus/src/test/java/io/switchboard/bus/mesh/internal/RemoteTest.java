package io.switchboard.bus.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbound stream to one peer: what each flush writes, after acknowledgements and rewinds. */
class RemoteTest {
  private static final int SESSION = 7;

  private Remote remote;

  @BeforeEach
  void linked() {
    remote = new Remote("b", SESSION);
    remote.active = new Link(null, null);
  }

  @Test
  void aFlushWritesOnlyWhatWasNotWrittenYetEvenWithMuchUnacknowledged() {
    offer(10_000);
    assertThat(seqs(remote.drain())).hasSize(10_000).startsWith(1L).endsWith(10_000L);
    offer(3);
    assertThat(seqs(remote.drain())).containsExactly(10_001L, 10_002L, 10_003L);
    assertThat(remote.drain()).isNull();
  }

  @Test
  void anAcknowledgementFreesTheWindowAndTheRestIsStillWrittenOnce() {
    offer(5);
    assertThat(seqs(remote.drain())).containsExactly(1L, 2L, 3L, 4L, 5L);
    remote.acked(SESSION, 3);
    assertThat(remote.window).hasSize(2);
    offer(2);
    assertThat(seqs(remote.drain())).containsExactly(6L, 7L);
  }

  @Test
  void aRewindWritesAgainFromWhereTheOtherSideAsks() {
    offer(6);
    remote.drain();
    remote.rewind(SESSION, 4);
    assertThat(seqs(remote.drain())).containsExactly(4L, 5L, 6L);
    remote.rewindAll();
    assertThat(seqs(remote.drain())).containsExactly(4L, 5L, 6L);
    remote.rewind(SESSION + 1, 1);
    assertThat(remote.drain()).as("a rewind of another session is stale").isNull();
  }

  @Test
  void nothingIsWrittenWithoutALink() {
    offer(2);
    remote.active = null;
    assertThat(remote.drain()).isNull();
    remote.active = new Link(null, null);
    assertThat(seqs(remote.drain())).containsExactly(1L, 2L);
  }

  private void offer(int count) {
    for (int i = 0; i < count; i++) {
      assertThat(remote.offer(new byte[][] {{1, 2, 3}}, 100_000, Long.MAX_VALUE)).isTrue();
    }
  }

  private static List<Long> seqs(List<Remote.Out> outs) {
    return outs.stream().map(Remote.Out::seq).toList();
  }
}

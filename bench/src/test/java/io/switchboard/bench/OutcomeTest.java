package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  @Test
  void combineTakesTheMedianAndTheRangeOfEachRow() {
    Outcome combined = Outcome.combine(List.of(
        Outcome.measured(new double[] {30, 300}, false, 10, List.of()),
        Outcome.measured(new double[] {10, 100}, false, 10, List.of()),
        Outcome.measured(new double[] {20, 900}, true, 10, List.of())));

    assertThat(combined.ok()).isTrue();
    assertThat(combined.values()).containsExactly(20, 300);
    assertThat(combined.min()).containsExactly(10, 100);
    assertThat(combined.max()).containsExactly(30, 900);
    assertThat(combined.runs()).isEqualTo(3);
    assertThat(combined.partial()).isTrue();
    assertThat(combined.samples()).isEqualTo(30);
    assertThat(combined.spread(0)).isEqualTo(0.5);
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Outcome.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Outcome.median(new double[] {Double.NaN, 5})).isEqualTo(5);
    assertThat(Outcome.median(new double[] {Double.NaN})).isNaN();
  }

  @Test
  void aFailedRunAmongMeasuredOnesIsCountedAndWarned() {
    Outcome combined = Outcome.combine(List.of(
        Outcome.measured(new double[] {10}, false, 5, List.of()),
        Outcome.failed("peer died", "trace", List.of())));

    assertThat(combined.ok()).isTrue();
    assertThat(combined.values()).containsExactly(10);
    assertThat(combined.failedRuns()).isEqualTo(1);
    assertThat(combined.warnings()).containsExactly("run 2 of 2 failed: peer died");
    assertThat(combined.spread(0)).isNaN();
  }

  @Test
  void noMeasuredRunKeepsTheFirstFailureOrNotApplicable() {
    Outcome failed = Outcome.combine(List.of(Outcome.failed("a", "d", List.of()), Outcome.failed("b", "", List.of())));
    assertThat(failed.ok()).isFalse();
    assertThat(failed.error()).isEqualTo("a");
    assertThat(failed.detail()).isEqualTo("d");

    Outcome absent = Outcome.combine(List.of(Outcome.notApplicable("no gcc"), Outcome.notApplicable("no gcc")));
    assertThat(absent.notApplicable()).isEqualTo("no gcc");
    assertThat(absent.error()).isNull();
  }

  @Test
  void combineNeedsAtLeastOneRun() {
    assertThatThrownBy(() -> Outcome.combine(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}

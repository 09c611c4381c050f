package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.BenchCase.Pattern;
import io.switchboard.bench.BenchCase.Transport;
import io.switchboard.bench.Report.Result;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class RatioChartTest {
  private static final BenchCase PUSH_PULL = new BenchCase(Pattern.PUSH_PULL, Transport.TCP, 16, 1000, 250);
  private static final BenchCase LATENCY = new BenchCase(Pattern.REQ_REP, Transport.TCP, 16, 1000, 250);

  @Test
  void everyRowGetsItsLabelAndOneBarPerMeasuredRatio() throws Exception {
    List<Result> results = List.of(
        new Result(PUSH_PULL, measured(300), measured(100), Outcome.notApplicable("left out")),
        new Result(LATENCY, measured(10, 20, 40), measured(20, 20, 20), measured(5, 1000, 1000)));

    String svg = RatioChart.render("Switchboard <vs> JeroMQ & libzmq", results);
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));

    assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(svg).contains("Switchboard &lt;vs&gt; JeroMQ &amp; libzmq");
    assertThat(svg).contains(">push/pull tcp 16 B<", ">req/rep tcp 16 B p50<", ">req/rep tcp 16 B p99.9<");
    // push/pull: 3x vs JeroMQ, nothing vs libzmq; latency: other / Switchboard.
    assertThat(svg).contains(">3.00x<", ">2.00x<", ">0.50x<", ">1.00x<", ">0.50x<", ">50.00x<", ">25.00x<");
    // 1 legend swatch each + 1 background + 1 + 3 + 3 bars.
    assertThat(document.getElementsByTagName("rect").getLength()).isEqualTo(1 + 2 + 7);
  }

  private static Outcome measured(double... values) {
    return Outcome.measured(values, false, 1000, List.of());
  }
}

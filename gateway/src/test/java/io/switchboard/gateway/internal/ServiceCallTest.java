package io.switchboard.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.ServiceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a service's answer: the result as a slice of the reply's bytes, whatever JSON value it is. */
class ServiceCallTest {
  /** What an answer came to: the result's text, or the failure. */
  private static final class Outcome implements ServiceCall.Reply {
    String result;
    ServiceException failure;

    @Override
    public void result(byte[] json, int offset, int length) {
      result = new String(json, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public void failure(ServiceException e) {
      failure = e;
    }
  }

  private static Outcome read(String answer) {
    Outcome o = new Outcome();
    ServiceCall.readJson("svc", answer.getBytes(StandardCharsets.UTF_8), o);
    return o;
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"res\":{\"a\":1,\"b\":[1,{\"c\":\"}\"}]}}|{\"a\":1,\"b\":[1,{\"c\":\"}\"}]}",
      "{\"res\":[1,2,3]}|[1,2,3]",
      "{\"res\":\"text with \\\" and }\"}|\"text with \\\" and }\"",
      "{\"res\":\"é ü 😀\"}|\"é ü 😀\"",
      "{\"res\":42}|42",
      "{\"res\":-1.5e3}|-1.5e3",
      "{\"res\":true}|true",
      "{\"res\":null}|null",
      "{ \"res\" : 7 , \"id\" : 3 }|7",
      "{\"res\":{},\"id\":\"x\"}|{}",
  })
  void theResultIsTheSliceOfTheAnswer(String answer, String result) {
    Outcome o = read(answer);
    assertThat(o.failure).isNull();
    assertThat(o.result).isEqualTo(result);
  }

  @Test
  void otherShapesAreReadAsTrees() {
    assertThat(read("{\"id\":1,\"res\":{\"a\":1}}").result).isEqualTo("{\"a\":1}");
    assertThat(read("{\"res\":1,\"res\":2}").result).isEqualTo("2");
    Outcome err = read("{\"err\":\"no such person\",\"kind\":\"not_found\"}");
    assertThat(err.failure.kind()).isEqualTo(ServiceException.Kind.NOT_FOUND);
    assertThat(err.failure).hasMessage("no such person");
    assertThat(read("{\"x\":1}").failure).hasMessageContaining("answered neither res nor err");
  }

  @Test
  void malformedAnswersFail() {
    assertThat(read("{\"res\":{\"a\":").failure.kind()).isEqualTo(ServiceException.Kind.FAILED);
    assertThat(read("{\"res\":1,").failure).hasMessageContaining("malformed");
    assertThat(read("{\"res\":1").failure).hasMessageContaining("malformed");
  }
}

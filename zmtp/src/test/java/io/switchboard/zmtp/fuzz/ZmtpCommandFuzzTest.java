package io.switchboard.zmtp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.zmtp.ZmtpCommand;
import io.switchboard.zmtp.ZmtpException;
import io.switchboard.zmtp.ZmtpMetadata;

/**
 * Fuzzes READY metadata and command bodies: {@link ZmtpMetadata#decode} and {@link ZmtpCommand#decode}. Whatever
 * decodes must encode to what {@code encodedLength()} promises and decode again to the same thing; nothing may be
 * allocated beyond a multiple of the input, whatever length a property claims. Seeds are in
 * {@code src/test/resources/io/switchboard/zmtp/fuzz/ZmtpCommandFuzzTestInputs}.
 */
class ZmtpCommandFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void metadata(byte[] data) {
    FuzzSupport.assertAllocationBounded(data.length, 64, () -> metadataRun(data));
  }

  private static void metadataRun(byte[] data) {
    ByteBuf in = Unpooled.wrappedBuffer(data);
    ZmtpMetadata metadata;
    try {
      metadata = ZmtpMetadata.decode(in);
    } catch (ZmtpException e) {
      return;
    }
    assertThat(in.isReadable()).as("octets left after the metadata").isFalse();
    byte[] encoded = FuzzSupport.written(metadata::encode);
    assertThat(encoded.length).isEqualTo(metadata.encodedLength());
    assertThat(encoded.length).as("re-encoded metadata is never longer").isLessThanOrEqualTo(data.length);
    ZmtpMetadata again = ZmtpMetadata.decode(Unpooled.wrappedBuffer(encoded));
    assertThat(FuzzSupport.written(again::encode)).as("decode(encode(m)) == m").isEqualTo(encoded);
  }

  @FuzzTest(maxDuration = "5m")
  void command(byte[] data) {
    FuzzSupport.assertAllocationBounded(data.length, 64, () -> commandRun(data));
  }

  private static void commandRun(byte[] data) {
    ByteBuf in = Unpooled.wrappedBuffer(data);
    ZmtpCommand command;
    try {
      command = ZmtpCommand.decode(in);
    } catch (ZmtpException e) {
      return;
    }
    byte[] body = FuzzSupport.encodeBody(command);
    assertThat(body.length).as("encodedLength of %s", command.name()).isEqualTo(command.encodedLength());
    ZmtpCommand again = ZmtpCommand.decode(Unpooled.wrappedBuffer(body));
    assertThat(again.getClass()).isEqualTo(command.getClass());
    assertThat(FuzzSupport.encodeBody(again)).as("decode(encode(c)) == c").isEqualTo(body);
  }
}

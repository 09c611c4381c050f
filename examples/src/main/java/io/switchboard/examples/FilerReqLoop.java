package io.switchboard.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code filer-req-loop FILE}: the book's zmq-filer-req-loop.js. The book's loop queued all its sends at once and
 * its REQ socket released them one at a time; here the loop sends each request after the previous reply, which is
 * the same order on the wire, and prints every reply.
 */
@Command(
    name = "filer-req-loop",
    mixinStandardHelpOptions = true,
    description = "REQ: ask filer-rep for FILE several times, one after the other (port 5433).")
final class FilerReqLoop extends FilerReq {
  @Option(names = "--requests", paramLabel = "N", description = "How many requests (default 5).")
  int requests = 5;

  @Override
  int requests() {
    return Options.positive(spec, "--requests", requests);
  }
}

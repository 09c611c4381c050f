package io.switchboard.zmtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * CURVE (RFC 26, CurveZMQ): C/c and S/s are the long-term key pairs, C'/c' and S'/s' the transient ones, Box[X](A→B)
 * a crypto_box from A's secret key to B's public key; short nonces are 8-octet counters in network byte order.
 *
 * <pre>
 *   client                                               server (as-server = 1)
 *   HELLO    version:2 (1.0) padding:72 C':32
 *            nonce:8 Box[64 zeros](C'→S):80      ───►   (nonce prefix "CurveZMQHELLO---")
 *                                                ◄───   WELCOME  nonce:16 Box[S' + cookie](S→C'):144
 *                                                        (prefix "WELCOME-"; cookie = nonce:16
 *                                                         + Box[C' + s'](K):80, prefix "COOKIE--",
 *                                                         K a key only this connection's server knows)
 *   INITIATE cookie:96 nonce:8
 *            Box[C + vouch + metadata](C'→S')    ───►   (prefix "CurveZMQINITIATE"; vouch = nonce:16
 *                                                         + Box[C' + S](C→S'):80, prefix "VOUCH---")
 *                                                        authenticate C; ERROR "400" if refused
 *                                                ◄───   READY    nonce:8 Box[metadata](S'→C')
 *                                                        (prefix "CurveZMQREADY---")
 *   then every frame, both ways: MESSAGE nonce:8 Box[flags:1 + body](C'↔S'), see {@link ZmtpCurveMessageDecoder}
 * </pre>
 *
 * <p>RFC 26: "The server SHALL [...] verify that the vouch is valid" (it binds the long-term key C to this
 * connection's C' and to the server's S), and short nonces "MUST be strictly incrementing" per direction.
 */
final class ZmtpCurveMechanism extends ZmtpMechanism {
  /** HELLO data after the name: version, padding, C', nonce, box. */
  private static final int HELLO_LENGTH = 2 + 72 + 32 + 8 + 80;
  private static final int WELCOME_LENGTH = 16 + 144;
  private static final int COOKIE_LENGTH = 16 + 80;
  /** INITIATE data without metadata: cookie, nonce, box of C + vouch. */
  private static final int INITIATE_MIN = COOKIE_LENGTH + 8 + ZmtpCurveBox.MAC_LENGTH + 32 + 16 + 80;

  private enum State { HELLO, WELCOME, INITIATE, READY }

  private final boolean server;
  private final byte[] publicKey;
  private final byte[] secretKey;
  private final byte[] serverKey;
  private final ZmtpAuthenticator authenticator;
  private State state;
  private long nonce = 1;
  private long peerNonce;
  private byte[] transientPublic;
  private byte[] transientSecret;
  private byte[] peerTransient;
  private byte[] cookieKey;
  /** The client's short-term key with the server's long-term key: HELLO and WELCOME (one X25519 for both). */
  private ZmtpCurveBox helloBox;
  private ZmtpCurveBox session;
  private String userId = "";

  ZmtpCurveMechanism(ZmtpHandshakeOptions options) {
    super(options);
    ZmtpSecurity security = options.security();
    if (security instanceof ZmtpSecurity.CurveServer) {
      ZmtpSecurity.CurveServer s = (ZmtpSecurity.CurveServer) security;
      server = true;
      publicKey = s.publicKey();
      secretKey = s.secretKey();
      serverKey = publicKey;
      authenticator = s.authenticator();
      state = State.HELLO;
    } else {
      ZmtpSecurity.CurveClient c = (ZmtpSecurity.CurveClient) security;
      server = false;
      publicKey = c.publicKey();
      secretKey = c.secretKey();
      serverKey = c.serverKey();
      authenticator = null;
      state = State.WELCOME;
    }
  }

  @Override
  void start(ChannelHandlerContext ctx) {
    if (server) {
      return;
    }
    transientSecret = ZmtpCurveBox.newSecretKey();
    transientPublic = ZmtpCurveBox.publicKey(transientSecret);
    long n = nonce++;
    helloBox = ZmtpCurveBox.box(serverKey, transientSecret);
    byte[] box = helloBox.seal(nonce("CurveZMQHELLO---", n), new byte[64]);
    ByteBuf data = Unpooled.buffer(HELLO_LENGTH);
    data.writeByte(1).writeByte(0).writeZero(72).writeBytes(transientPublic).writeLong(n).writeBytes(box);
    send(ctx, "HELLO", readAll(data));
  }

  @Override
  ZmtpMetadata onCommand(ChannelHandlerContext ctx, String name, ByteBuf data) {
    expect(name, state.name());
    byte[] d = readAll(data);
    switch (state) {
      case HELLO:
        onHello(ctx, d);
        return null;
      case WELCOME:
        onWelcome(ctx, d);
        return null;
      case INITIATE:
        return onInitiate(ctx, d);
      case READY:
        return onReady(d);
      default:
        throw new AssertionError(state);
    }
  }

  // ---- server ----

  private void onHello(ChannelHandlerContext ctx, byte[] d) {
    if (d.length != HELLO_LENGTH) {
      throw new ZmtpException("CURVE: HELLO of " + d.length + " octets (expected: " + HELLO_LENGTH + ")");
    }
    if (d[0] != 1 || d[1] != 0) {
      throw new ZmtpException("CURVE: HELLO version " + d[0] + "." + d[1] + " (expected: 1.0)");
    }
    peerTransient = Arrays.copyOfRange(d, 74, 106);
    long n = readLong(d, 106);
    checkNonce(n);
    // An unreadable HELLO box means the client does not have our public key (wrong server key).
    helloBox = ZmtpCurveBox.box(peerTransient, secretKey);
    open(helloBox, "HELLO", nonce("CurveZMQHELLO---", n), Arrays.copyOfRange(d, 114, 194));

    transientSecret = ZmtpCurveBox.newSecretKey();
    transientPublic = ZmtpCurveBox.publicKey(transientSecret);
    cookieKey = ZmtpCurveBox.random(32);
    byte[] cookieNonce = ZmtpCurveBox.random(16);
    byte[] cookie = concat(cookieNonce, ZmtpCurveBox.secretBox(cookieKey)
        .seal(longNonce("COOKIE--", cookieNonce), concat(peerTransient, transientSecret)));
    byte[] welcomeNonce = ZmtpCurveBox.random(16);
    byte[] box = helloBox.seal(longNonce("WELCOME-", welcomeNonce), concat(transientPublic, cookie));
    state = State.INITIATE;
    send(ctx, "WELCOME", concat(welcomeNonce, box));
  }

  private ZmtpMetadata onInitiate(ChannelHandlerContext ctx, byte[] d) {
    if (d.length < INITIATE_MIN) {
      throw new ZmtpException("CURVE: INITIATE of " + d.length + " octets (expected: at least " + INITIATE_MIN + ")");
    }
    byte[] cookie = open(ZmtpCurveBox.secretBox(cookieKey), "INITIATE's cookie",
        longNonce("COOKIE--", Arrays.copyOfRange(d, 0, 16)), Arrays.copyOfRange(d, 16, COOKIE_LENGTH));
    if (!MessageDigest.isEqual(Arrays.copyOfRange(cookie, 0, 32), peerTransient)) {
      throw new ZmtpException("CURVE: INITIATE cookie is not for this connection");
    }
    byte[] cookieSecret = Arrays.copyOfRange(cookie, 32, 64);
    long n = readLong(d, COOKIE_LENGTH);
    checkNonce(n);
    session = ZmtpCurveBox.box(peerTransient, cookieSecret);
    byte[] plain = open(session, "INITIATE", nonce("CurveZMQINITIATE", n),
        Arrays.copyOfRange(d, COOKIE_LENGTH + 8, d.length));
    byte[] clientKey = Arrays.copyOfRange(plain, 0, 32);
    byte[] vouch = open(ZmtpCurveBox.box(clientKey, cookieSecret), "INITIATE's vouch",
        longNonce("VOUCH---", Arrays.copyOfRange(plain, 32, 48)), Arrays.copyOfRange(plain, 48, 128));
    if (!MessageDigest.isEqual(Arrays.copyOfRange(vouch, 0, 32), peerTransient)
        || !MessageDigest.isEqual(Arrays.copyOfRange(vouch, 32, 64), publicKey)) {
      throw new ZmtpException("CURVE: the client's vouch does not match this connection");
    }
    ZmtpMetadata metadata = ZmtpMetadata.decode(Unpooled.wrappedBuffer(plain, 128, plain.length - 128));
    if (authenticator != null) {
      userId = authenticator.authenticate(
          new ZmtpAuthenticator.Request("CURVE", options.zapDomain(), ctx.channel().remoteAddress(), null, null,
              clientKey));
    }
    long r = nonce++;
    state = State.READY;
    send(ctx, "READY", concat(longBytes(r), session.seal(nonce("CurveZMQREADY---", r), encode(ourMetadata()))));
    return metadata;
  }

  // ---- client ----

  private void onWelcome(ChannelHandlerContext ctx, byte[] d) {
    if (d.length != WELCOME_LENGTH) {
      throw new ZmtpException("CURVE: WELCOME of " + d.length + " octets (expected: " + WELCOME_LENGTH + ")");
    }
    byte[] plain;
    try {
      plain = helloBox.open(longNonce("WELCOME-", Arrays.copyOfRange(d, 0, 16)), Arrays.copyOfRange(d, 16, d.length));
    } catch (ZmtpException e) {
      throw new ZmtpException("CURVE: cannot open WELCOME: the server does not hold the expected server key");
    }
    byte[] serverTransient = Arrays.copyOfRange(plain, 0, 32);
    byte[] cookie = Arrays.copyOfRange(plain, 32, 128);
    peerTransient = serverTransient;
    session = ZmtpCurveBox.box(serverTransient, transientSecret);
    byte[] vouchNonce = ZmtpCurveBox.random(16);
    byte[] vouch = ZmtpCurveBox.box(serverTransient, secretKey)
        .seal(longNonce("VOUCH---", vouchNonce), concat(transientPublic, serverKey));
    long n = nonce++;
    byte[] box = session.seal(nonce("CurveZMQINITIATE", n),
        concat(concat(publicKey, vouchNonce), concat(vouch, encode(ourMetadata()))));
    state = State.READY;
    send(ctx, "INITIATE", concat(concat(cookie, longBytes(n)), box));
  }

  private ZmtpMetadata onReady(byte[] d) {
    if (d.length < 8 + ZmtpCurveBox.MAC_LENGTH) {
      throw new ZmtpException("CURVE: READY of " + d.length + " octets (expected: at least 24)");
    }
    long n = readLong(d, 0);
    checkNonce(n);
    byte[] plain = session.open(nonce("CurveZMQREADY---", n), Arrays.copyOfRange(d, 8, d.length));
    return ZmtpMetadata.decode(Unpooled.wrappedBuffer(plain));
  }

  // ---- after the handshake ----

  @Override
  void installCodec(ChannelHandlerContext ctx) {
    String decodeSide = server ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES";
    String encodeSide = server ? "CurveZMQMESSAGES" : "CurveZMQMESSAGEC";
    ctx.pipeline().addAfter(ctx.name(), ZmtpCurveMessageEncoder.NAME,
        new ZmtpCurveMessageEncoder(session, encodeSide, nonce));
    ctx.pipeline().addAfter(ctx.name(), ZmtpCurveMessageDecoder.NAME, new ZmtpCurveMessageDecoder(
        // The decoder gets its own box (its own engines), keyed the same as the session.
        ZmtpCurveBox.box(peerTransient, transientSecret), decodeSide, peerNonce, options.maxMessageSize()));
  }

  @Override
  void removeCodec(ChannelHandlerContext ctx) {
    if (ctx.pipeline().get(ZmtpCurveMessageEncoder.NAME) != null) {
      ctx.pipeline().remove(ZmtpCurveMessageEncoder.NAME);
    }
    if (ctx.pipeline().get(ZmtpCurveMessageDecoder.NAME) != null) {
      ctx.pipeline().remove(ZmtpCurveMessageDecoder.NAME);
    }
  }

  @Override
  int maxCommandSize(int maxMetadataSize) {
    return maxMetadataSize + 512;
  }

  @Override
  String expecting() {
    return state.name();
  }

  @Override
  String userId() {
    return userId == null ? "" : userId;
  }

  private void checkNonce(long n) {
    // RFC 26: short nonces are strictly incrementing; a replayed or reordered command is refused.
    if (Long.compareUnsigned(n, peerNonce) <= 0) {
      throw new ZmtpException("CURVE: short nonce " + Long.toUnsignedString(n) + " is not above the last one ("
          + Long.toUnsignedString(peerNonce) + ")");
    }
    peerNonce = n;
  }

  /** Opens a handshake box, saying which one failed. */
  private static byte[] open(ZmtpCurveBox box, String what, byte[] nonce, byte[] sealed) {
    try {
      return box.open(nonce, sealed);
    } catch (ZmtpException e) {
      throw new ZmtpException(e.getMessage().replace("a box", "the " + what + " box"));
    }
  }

  static byte[] nonce(String prefix16, long n) {
    byte[] nonce = new byte[ZmtpCurveBox.NONCE_LENGTH];
    System.arraycopy(prefix16.getBytes(StandardCharsets.US_ASCII), 0, nonce, 0, 16);
    for (int i = 0; i < 8; i++) {
      nonce[16 + i] = (byte) (n >>> (56 - 8 * i));
    }
    return nonce;
  }

  private static byte[] longNonce(String prefix8, byte[] suffix16) {
    byte[] nonce = new byte[ZmtpCurveBox.NONCE_LENGTH];
    System.arraycopy(prefix8.getBytes(StandardCharsets.US_ASCII), 0, nonce, 0, 8);
    System.arraycopy(suffix16, 0, nonce, 8, 16);
    return nonce;
  }

  private static byte[] longBytes(long n) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (n >>> (56 - 8 * i));
    }
    return b;
  }

  private static long readLong(byte[] d, int at) {
    long n = 0;
    for (int i = 0; i < 8; i++) {
      n = n << 8 | (d[at + i] & 0xFF);
    }
    return n;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] encode(ZmtpMetadata metadata) {
    ByteBuf out = Unpooled.buffer(metadata.encodedLength());
    metadata.encode(out);
    return readAll(out);
  }
}

package io.switchboard.zmtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * NaCl's {@code crypto_box} and {@code crypto_secretbox}, as CurveZMQ (RFC 26) uses them, composed from
 * BouncyCastle's primitives; nothing here is a hand-written primitive.
 *
 * <pre>
 * crypto_box_beforenm(pk, sk)  = HSalsa20(key = X25519(sk, pk), input = 16 zero octets)
 * crypto_secretbox(k, n, m)    = tag:16 || c          where  z = XSalsa20(k, n) keystream,
 *                                                            c = m XOR z[32..], tag = Poly1305(z[0..32], c)
 * crypto_box(pk, sk, n, m)     = crypto_secretbox(crypto_box_beforenm(pk, sk), n, m)
 * </pre>
 *
 * <p>The output is the "easy" form that CurveZMQ puts on the wire: the 16-octet Poly1305 tag followed by the
 * ciphertext, without NaCl's zero padding. HSalsa20 is BouncyCastle's {@link Salsa20Engine#salsaCore} with its final
 * feed-forward addition taken back out, exactly as BouncyCastle's own {@link XSalsa20Engine} derives its subkey.
 *
 * <p>An instance holds one precomputed key and reusable engines: it is not thread-safe; use one per connection.
 */
public final class ZmtpCurveBox {
  /** The length of a public or secret key, and of a precomputed box key. */
  public static final int KEY_LENGTH = 32;
  /** The length of a nonce. */
  public static final int NONCE_LENGTH = 24;
  /** The length of the Poly1305 tag that a box adds to its plaintext. */
  public static final int MAC_LENGTH = 16;

  private static final byte[] ZERO_32 = new byte[32];
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyParameter key;
  private final XSalsa20Engine cipher = new XSalsa20Engine();
  private final Poly1305 mac = new Poly1305();
  private final byte[] macKey = new byte[32];
  private final byte[] tag = new byte[MAC_LENGTH];
  /** The MESSAGE codec's engine ({@link #begin}): Salsa20 under the subkey of {@link #streamPrefix}. */
  private final MessageStream stream = new MessageStream();
  private final byte[] streamPrefix = new byte[16];
  private final byte[] streamNonce = new byte[8];
  private boolean streamKeyed;
  /**
   * Poly1305's key for {@link #begin}, refilled in place for every box: BouncyCastle's {@code getKey()} returns the
   * array it keeps. Should a version return a copy, {@link #macKeyInPlace} is false and a key is made per box.
   */
  private final KeyParameter macKeyParameter = new KeyParameter(new byte[32]);
  private final boolean macKeyInPlace = macKeyParameter.getKey() == macKeyParameter.getKey();

  private ZmtpCurveBox(byte[] key) {
    this.key = new KeyParameter(key);
  }

  /** A new random X25519 secret key. */
  public static byte[] newSecretKey() {
    byte[] secret = new byte[KEY_LENGTH];
    X25519.generatePrivateKey(RANDOM, secret);
    return secret;
  }

  /** The public key that belongs to {@code secretKey}. */
  public static byte[] publicKey(byte[] secretKey) {
    checkKey("secretKey", secretKey);
    byte[] pub = new byte[KEY_LENGTH];
    X25519.generatePublicKey(secretKey, 0, pub, 0);
    return pub;
  }

  /** {@code length} random octets from a shared {@link SecureRandom}. */
  static byte[] random(int length) {
    byte[] octets = new byte[length];
    RANDOM.nextBytes(octets);
    return octets;
  }

  /**
   * A box between our secret key and the peer's public key ({@code crypto_box_beforenm}).
   *
   * @throws ZmtpException if the peer's key is a low-order point (the shared secret would be all zeros)
   */
  public static ZmtpCurveBox box(byte[] theirPublicKey, byte[] ourSecretKey) {
    checkKey("publicKey", theirPublicKey);
    checkKey("secretKey", ourSecretKey);
    byte[] shared = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(ourSecretKey, 0, theirPublicKey, 0, shared, 0)) {
      throw new ZmtpException("CURVE: the peer's public key is a low-order point");
    }
    byte[] k = hsalsa20(shared, new byte[16]);
    Arrays.fill(shared, (byte) 0);
    return new ZmtpCurveBox(k);
  }

  /** A secret box with a symmetric key ({@code crypto_secretbox}), as used for the server's cookie. */
  public static ZmtpCurveBox secretBox(byte[] key) {
    checkKey("key", key);
    return new ZmtpCurveBox(key.clone());
  }

  /** Seals {@code plaintext}: returns tag and ciphertext, {@link #MAC_LENGTH} octets longer. */
  public byte[] seal(byte[] nonce, byte[] plaintext) {
    byte[] out = new byte[MAC_LENGTH + plaintext.length];
    seal(nonce, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /** Seals {@code length} octets of {@code in} into {@code out} at {@code outOffset}: tag, then ciphertext. */
  public void seal(byte[] nonce, byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    start(nonce);
    cipher.processBytes(in, inOffset, length, out, outOffset + MAC_LENGTH);
    mac.update(out, outOffset + MAC_LENGTH, length);
    mac.doFinal(out, outOffset);
  }

  /**
   * Opens a box made by {@link #seal}.
   *
   * @throws ZmtpException if the box is shorter than a tag or was not made with this key and nonce
   */
  public byte[] open(byte[] nonce, byte[] box) {
    if (box.length < MAC_LENGTH) {
      throw new ZmtpException("CURVE: box of " + box.length + " octets (expected: at least " + MAC_LENGTH + ")");
    }
    byte[] out = new byte[box.length - MAC_LENGTH];
    if (!open(nonce, box, 0, box.length, out, 0)) {
      throw new ZmtpException("CURVE: a box failed authentication (wrong key or tampered octets)");
    }
    return out;
  }

  /**
   * Opens {@code length} octets of {@code in} (tag and ciphertext) into {@code out}; returns false, leaving
   * {@code out} untouched, if the tag is wrong.
   */
  public boolean open(byte[] nonce, byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    if (length < MAC_LENGTH) {
      return false;
    }
    if (!verify(nonce, in, inOffset, length)) {
      return false;
    }
    cipher.processBytes(in, inOffset + MAC_LENGTH, length - MAC_LENGTH, out, outOffset);
    return true;
  }

  // ---- in steps, for the MESSAGE codec: no copy of the plaintext or of the box, no garbage per box ----
  //
  // Sealing: begin(nonce), then crypt() over the plaintext in order and authenticate() over each piece of ciphertext
  // it makes, then tag(). Opening in one pass: begin(nonce), then authenticate() over each piece of ciphertext before
  // crypt() turns it into plaintext, then checkTag(); the caller keeps that plaintext from everyone until it passes.
  //
  // XSalsa20(k, n) is Salsa20 keyed with HSalsa20(k, n[0..16]) over the nonce n[16..24] (the XSalsa20 paper, section
  // 2; BouncyCastle's XSalsa20Engine does exactly this in setKey). A MESSAGE nonce is a fixed 16-octet prefix and a
  // counter, so the subkey is made once per prefix and each box only sets Salsa20's nonce: re-keying XSalsa20Engine,
  // ParametersWithIV and Poly1305's KeyParameter for every box made some 200 octets of garbage per frame, more than a
  // small message itself.

  /** Keys the cipher and the MAC for a new box with {@code nonce}. */
  void begin(byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("nonce: " + nonce.length + " octets (expected: " + NONCE_LENGTH + ")");
    }
    if (!streamKeyed || !Arrays.equals(nonce, 0, 16, streamPrefix, 0, 16)) {
      byte[] subkey = hsalsa20(key.getKey(), Arrays.copyOf(nonce, 16));
      System.arraycopy(nonce, 16, streamNonce, 0, 8);
      stream.init(true, new ParametersWithIV(new KeyParameter(subkey), streamNonce));
      Arrays.fill(subkey, (byte) 0);
      System.arraycopy(nonce, 0, streamPrefix, 0, 16);
      streamKeyed = true;
    } else {
      System.arraycopy(nonce, 16, streamNonce, 0, 8);
      stream.nonce(streamNonce);
    }
    stream.processBytes(ZERO_32, 0, 32, macKey, 0);
    if (macKeyInPlace) {
      System.arraycopy(macKey, 0, macKeyParameter.getKey(), 0, 32);
      mac.init(macKeyParameter);
    } else {
      mac.init(new KeyParameter(macKey));
    }
  }

  /** Encrypts or decrypts the next {@code length} octets of the current box's stream; {@code in} may be {@code out}. */
  void crypt(byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    stream.processBytes(in, inOffset, length, out, outOffset);
  }

  /** Adds the next {@code length} octets of the current box's ciphertext to its MAC. */
  void authenticate(byte[] ciphertext, int offset, int length) {
    mac.update(ciphertext, offset, length);
  }

  /** Writes the tag of the ciphertext {@linkplain #authenticate authenticated} since {@link #begin} to {@code out}. */
  void tag(byte[] out, int offset) {
    mac.doFinal(out, offset);
  }

  /**
   * Whether {@code expected} at {@code offset} is the tag of the ciphertext {@linkplain #authenticate authenticated}
   * since {@link #begin}, compared in constant time.
   */
  boolean checkTag(byte[] expected, int offset) {
    mac.doFinal(tag, 0);
    return org.bouncycastle.util.Arrays.constantTimeAreEqual(MAC_LENGTH, tag, 0, expected, offset);
  }

  /**
   * BouncyCastle's Salsa20, re-nonced in place (what its own {@code init} does, without a new key schedule), and with
   * a quicker XOR. The keystream is BouncyCastle's, block by block ({@code generateKeyStream}, {@code advanceCounter});
   * only applying it is done here: its {@code processBytes} goes a byte at a time through the engine's fields (an
   * index written back per octet), this one keeps the block and the position and XORs whole blocks eight octets at a
   * time. Only {@link #processBytes} and {@link #reset} are used on it, so the engine's own keystream buffer is left
   * alone (filling it too would make every box's first block twice).
   */
  private static final class MessageStream extends Salsa20Engine {
    private static final int BLOCK = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final byte[] block = new byte[BLOCK];
    /** Octets of {@link #block} used. */
    private int used;

    /** Sets the 8-octet nonce and rewinds the stream, keeping the key; the engine must have been keyed once. */
    void nonce(byte[] nonce) {
      setKey(null, nonce);
      reset();
    }

    /** Rewinds to the stream's first block (also what {@code init} ends with). */
    @Override
    public void reset() {
      resetCounter();
      generateKeyStream(block);
      used = 0;
    }

    @Override
    public int processBytes(byte[] in, int inOff, int len, byte[] out, int outOff) {
      Objects.checkFromIndexSize(inOff, len, in.length);
      Objects.checkFromIndexSize(outOff, len, out.length);
      for (int done = 0; done < len; ) {
        if (used == BLOCK) {
          advanceCounter();
          generateKeyStream(block);
          used = 0;
        }
        int n = Math.min(BLOCK - used, len - done);
        int i = inOff + done;
        int o = outOff + done;
        if (n == BLOCK) {
          for (int k = 0; k < BLOCK; k += 8) {
            LONGS.set(out, o + k, (long) LONGS.get(in, i + k) ^ (long) LONGS.get(block, k));
          }
        } else {
          for (int k = 0; k < n; k++) {
            out[o + k] = (byte) (in[i + k] ^ block[used + k]);
          }
        }
        used += n;
        done += n;
      }
      return len;
    }
  }

  /**
   * Keys the cipher with {@code nonce} and checks the tag of the box of {@code length} octets (tag, then ciphertext)
   * at {@code in[inOffset]}, in constant time; if true, {@link #cipher} then decrypts the ciphertext in order.
   */
  private boolean verify(byte[] nonce, byte[] in, int inOffset, int length) {
    if (length < MAC_LENGTH) {
      return false;
    }
    start(nonce);
    mac.update(in, inOffset + MAC_LENGTH, length - MAC_LENGTH);
    mac.doFinal(tag, 0);
    return org.bouncycastle.util.Arrays.constantTimeAreEqual(MAC_LENGTH, tag, 0, in, inOffset);
  }

  /** Keys XSalsa20 with the nonce and Poly1305 with the first 32 octets of its keystream. */
  private void start(byte[] nonce) {
    if (nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException("nonce: " + nonce.length + " octets (expected: " + NONCE_LENGTH + ")");
    }
    cipher.init(true, new ParametersWithIV(key, nonce));
    cipher.processBytes(ZERO_32, 0, 32, macKey, 0);
    mac.init(new KeyParameter(macKey));
  }

  /**
   * HSalsa20 (the XSalsa20 paper, section 2): the Salsa20 core on (key, 16-octet input) without the final addition,
   * keeping words 0, 5, 10, 15, 6, 7, 8, 9.
   */
  static byte[] hsalsa20(byte[] key, byte[] input) {
    int[] state = new int[16];
    state[0] = 0x61707865; // "expa"
    state[5] = 0x3320646e; // "nd 3"
    state[10] = 0x79622d32; // "2-by"
    state[15] = 0x6b206574; // "te k"
    for (int i = 0; i < 4; i++) {
      state[1 + i] = le32(key, 4 * i);
      state[11 + i] = le32(key, 16 + 4 * i);
      state[6 + i] = le32(input, 4 * i);
    }
    int[] x = new int[16];
    Salsa20Engine.salsaCore(20, state, x);
    int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
    byte[] out = new byte[32];
    for (int i = 0; i < words.length; i++) {
      int w = x[words[i]] - state[words[i]];
      out[4 * i] = (byte) w;
      out[4 * i + 1] = (byte) (w >>> 8);
      out[4 * i + 2] = (byte) (w >>> 16);
      out[4 * i + 3] = (byte) (w >>> 24);
    }
    return out;
  }

  private static int le32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  private static void checkKey(String name, byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException(name + ": " + (key == null ? "null" : key.length + " octets")
          + " (expected: " + KEY_LENGTH + " octets)");
    }
  }
}

package io.switchboard.zmtp.fuzz;

import com.code_intelligence.jazzer.api.HookType;
import com.code_intelligence.jazzer.api.MethodHook;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Jazzer hooks that take the X25519 scalar multiplications out of the CURVE fuzz target's cost, so that it runs
 * thousands of inputs a second rather than about one thousand. Loaded only when fuzzing, with
 * {@code -Djazzer.custom_hooks=io.switchboard.zmtp.fuzz.CurveKeyHooks} (docs/fuzzing.md).
 *
 * <ul>
 *   <li>New secret keys (the server's short-term key) come from a fixed sequence that restarts with every input, so
 *       each input sees the same keys as the last one did.
 *   <li>Public keys and agreements are remembered: X25519 is a pure function, so a remembered result is exactly the
 *       one BouncyCastle would compute. A fuzzed public key that was never seen is computed for real.
 * </ul>
 *
 * <p>Nothing else changes: boxes, cookies and nonces are still sealed and opened by the code under test.
 */
public final class CurveKeyHooks {
  private static final String X25519 = "org.bouncycastle.math.ec.rfc7748.X25519";
  private static final int MEMO_LIMIT = 4096;
  private static final Map<ByteBuffer, byte[]> PUBLIC_KEYS = new HashMap<>();
  /** Secret key and peer's public key, to the shared secret; an empty array for a low-order point. */
  private static final Map<ByteBuffer, byte[]> AGREEMENTS = new HashMap<>();
  private static int keysIssued;

  private CurveKeyHooks() {}

  /** Called by the target before each input: the key sequence starts over. */
  static void newInput() {
    keysIssued = 0;
  }

  /** {@code X25519.generatePrivateKey(SecureRandom, byte[])}: the next key of a fixed sequence. */
  @MethodHook(type = HookType.REPLACE, targetClassName = X25519, targetMethod = "generatePrivateKey")
  public static void generatePrivateKey(MethodHandle method, Object self, Object[] args, int hookId) {
    byte[] k = (byte[]) args[1];
    Arrays.fill(k, (byte) (0x20 + keysIssued++));
    k[0] &= (byte) 0xF8;
    k[31] = (byte) ((k[31] & 0x7F) | 0x40);
  }

  /** {@code X25519.generatePublicKey(byte[] k, int kOff, byte[] r, int rOff)}, remembered. */
  @MethodHook(type = HookType.REPLACE, targetClassName = X25519, targetMethod = "generatePublicKey")
  public static void generatePublicKey(MethodHandle method, Object self, Object[] args, int hookId)
      throws Throwable {
    ByteBuffer key = slice(args[0], (int) args[1]);
    byte[] result = PUBLIC_KEYS.get(key);
    if (result == null) {
      result = new byte[32];
      method.invokeWithArguments(args[0], args[1], result, 0);
      remember(PUBLIC_KEYS, key, result);
    }
    System.arraycopy(result, 0, (byte[]) args[2], (int) args[3], 32);
  }

  /** {@code X25519.calculateAgreement(byte[] k, int kOff, byte[] u, int uOff, byte[] r, int rOff)}, remembered. */
  @MethodHook(type = HookType.REPLACE, targetClassName = X25519, targetMethod = "calculateAgreement")
  public static boolean calculateAgreement(MethodHandle method, Object self, Object[] args, int hookId)
      throws Throwable {
    ByteBuffer key = ByteBuffer.allocate(64).put(slice(args[0], (int) args[1])).put(slice(args[2], (int) args[3]))
        .flip();
    byte[] result = AGREEMENTS.get(key);
    if (result == null) {
      byte[] shared = new byte[32];
      boolean ok = (boolean) method.invokeWithArguments(args[0], args[1], args[2], args[3], shared, 0);
      result = ok ? shared : new byte[0];
      remember(AGREEMENTS, key, result);
    }
    if (result.length == 0) {
      return false;
    }
    System.arraycopy(result, 0, (byte[]) args[4], (int) args[5], 32);
    return true;
  }

  private static ByteBuffer slice(Object array, int offset) {
    return ByteBuffer.wrap(Arrays.copyOfRange((byte[]) array, offset, offset + 32));
  }

  private static void remember(Map<ByteBuffer, byte[]> memo, ByteBuffer key, byte[] value) {
    if (memo.size() >= MEMO_LIMIT) {
      memo.clear();
    }
    memo.put(key, value);
  }
}

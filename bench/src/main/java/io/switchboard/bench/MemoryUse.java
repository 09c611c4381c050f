package io.switchboard.bench;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a peer JVM holds in memory, for the memory per idle connection: the resident set (Linux {@code VmRSS}), the
 * heap in use after a full collection, and direct memory (NIO's buffer pool plus what Netty allocates without
 * cleaners, which the buffer pool does not see).
 *
 * @param rss the resident set in octets, or -1 where {@code /proc/self/status} is missing
 * @param heap the heap in use after {@link System#gc()}, in octets
 * @param direct direct memory in use, in octets
 */
record MemoryUse(long rss, long heap, long direct) {
  private static final Path PROC = Path.of("/proc");
  /** Collections before reading the heap: the second finishes what the first left to reference processing. */
  private static final int COLLECTIONS = 2;

  /** Collects garbage, then reads the three figures. */
  static MemoryUse sample() {
    for (int i = 0; i < COLLECTIONS; i++) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct += pool.getMemoryUsed();
      }
    }
    direct += Math.max(0, PlatformDependent.usedDirectMemory());
    return new MemoryUse(readRss(PROC.resolve("self").resolve("status")), heap, direct);
  }

  /** The {@code RESULT} fields of a sample taken before ({@code suffix} "Before") or after ("After"). */
  String fields(String suffix) {
    return "rss" + suffix + "=" + rss + " heap" + suffix + "=" + heap + " direct" + suffix + "=" + direct;
  }

  /**
   * The resident set of another process ({@code VmRSS} in {@code /proc/PID/status}) in octets, or -1 if it cannot be
   * read (not Linux, or no such process).
   */
  static long residentSet(long pid) {
    return readRss(PROC.resolve(Long.toString(pid)).resolve("status"));
  }

  private static long readRss(Path status) {
    try {
      for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
        if (line.startsWith("VmRSS:")) {
          // "VmRSS:    123456 kB"
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: no resident set figure.
    }
    return -1;
  }
}

package io.switchboard.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The file server's logic, shared by {@code filer-rep} and the cluster's workers: a request {@code {"path":P}} gets
 * {@code {"content":TEXT,"timestamp":MS,"pid":PID}}, or {@code {"error":WHY}} for anything it cannot or must not
 * serve. Only regular files under the root are served: {@code P} is resolved against the root, normalised, its
 * symbolic links resolved, and the result must still be under the (real) root. Thread-safe.
 */
final class FileService {
  /** Larger files get an error reply rather than a reply that size. */
  static final long MAX_FILE_SIZE = 16L << 20;

  private final Path root;

  /** A service for the files under {@code root}, which must exist. */
  FileService(Path root) throws IOException {
    this.root = root.toRealPath();
  }

  Path root() {
    return root;
  }

  /** What a request asked for, for logging: its {@code path}, or a placeholder. */
  static String describe(byte[] request) {
    try {
      JsonNode path = Json.parse(request).get("path");
      return path != null && path.isTextual() ? path.asText() : "(no path)";
    } catch (IOException e) {
      return "(not JSON)";
    }
  }

  /** The reply to one request frame; never throws. */
  byte[] handle(byte[] request) {
    String path;
    try {
      JsonNode node = Json.parse(request).get("path");
      if (node == null || !node.isTextual() || node.asText().isEmpty()) {
        return error("request: expected {\"path\": \"FILE\"}");
      }
      path = node.asText();
    } catch (IOException e) {
      return error("request: not JSON (expected: {\"path\": \"FILE\"})");
    }
    Path file;
    try {
      file = root.resolve(path).normalize();
    } catch (InvalidPathException e) {
      return error("path: " + path + " (invalid: " + e.getReason() + ")");
    }
    if (!file.startsWith(root)) {
      return error("path: " + path + " (outside the served directory)");
    }
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root)) {
        return error("path: " + path + " (outside the served directory)");
      }
      if (!Files.isRegularFile(real)) {
        return error("path: " + path + " (not a regular file)");
      }
      if (Files.size(real) > MAX_FILE_SIZE) {
        return error("path: " + path + " (larger than " + MAX_FILE_SIZE + " bytes)");
      }
      String content = new String(Files.readAllBytes(real), StandardCharsets.UTF_8);
      return Json.bytes(Json.object()
          .put("content", content)
          .put("timestamp", System.currentTimeMillis())
          .put("pid", ProcessHandle.current().pid()));
    } catch (NoSuchFileException e) {
      return error("path: " + path + " (no such file)");
    } catch (AccessDeniedException e) {
      return error("path: " + path + " (permission denied)");
    } catch (IOException e) {
      return error("path: " + path + " (" + e.getMessage() + ")");
    }
  }

  private static byte[] error(String message) {
    return Json.bytes(Json.object().put("error", message));
  }
}

package io.switchboard.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The page and its script, style and icon, read once from this jar. */
final class Assets {
  /** Every asset, by name, with its type; nothing else under /assets/ is served. */
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8",
      "favicon.svg", "image/svg+xml");
  private static final Map<String, Asset> LOADED = load();

  record Asset(byte[] body, String contentType) {}

  private Assets() {}

  static boolean exists(String name) {
    return LOADED.containsKey(name);
  }

  static Asset get(String name) {
    return LOADED.get(name);
  }

  private static Map<String, Asset> load() {
    java.util.HashMap<String, Asset> m = new java.util.HashMap<>();
    TYPES.forEach((name, type) -> {
      try (InputStream in = Assets.class.getResourceAsStream("assets/" + name)) {
        if (in == null) {
          throw new IllegalStateException("dashboard asset missing from the jar: " + name);
        }
        m.put(name, new Asset(in.readAllBytes(), type));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return Map.copyOf(m);
  }
}

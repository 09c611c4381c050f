package io.switchboard.gateway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.bus.ChannelConfig;
import io.switchboard.bus.NodeConfig;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.Service;
import io.switchboard.gateway.ServiceClient;
import io.switchboard.gateway.ServiceException;
import io.switchboard.gateway.ServiceHost;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;

/**
 * The people and pets services of node-tcp-ops and the gateway's routes to them:
 *
 * <pre>
 * GET  /people                  people.list   every person
 * POST /people?name=…           people.add    a new person (or {"name":…} as the body)
 * GET  /people/pets?owner=…     people.pets   the person, then their pets from the pets service
 * GET  /pets[?owner=…]          pets.list
 * POST /pets?name=…&amp;kind=…&amp;owner=…   pets.add
 * GET  /status                  every service's state
 * </pre>
 */
public final class Demo {
  /** The gateway's port, as the seed has it. */
  public static final int GATEWAY_PORT = 5001;
  /** People's TCP port, as the seed has it. */
  public static final int PEOPLE_PORT = 5002;
  /** Pets' TCP port, as the seed has it. */
  public static final int PETS_PORT = 5003;
  /** The longest name the demo stores. */
  public static final int MAX_NAME = 100;

  private Demo() {}

  /** A node configuration with the services channel, for a node the demo's parts share. */
  public static NodeConfig nodeConfig() {
    return NodeConfig.defaults().toBuilder().source("(demo configuration)")
        .channel(ChannelConfig.plain(ServiceHost.DEFAULT_CHANNEL)).build();
  }

  /** Adds the demo's routes to a gateway configuration. */
  public static GatewayConfig.Builder routes(GatewayConfig.Builder config) {
    return config
        .route("GET /people", "people", "list")
        .route("POST /people", "people", "add")
        .route("GET /people/pets", "people", "pets")
        .route("GET /pets", "pets", "list")
        .route("POST /pets", "pets", "add");
  }

  /**
   * The people service: {@code list}, {@code add {name}}, {@code pets {owner}} (which asks the pets service, through
   * {@code services}, waiting at most {@code timeout}).
   */
  public static Service people(DataSource db, ServiceClient services, Duration timeout) {
    return Service.builder("people")
        .command("list", payload -> query(db, "SELECT id, name FROM people ORDER BY id"))
        .command("add", payload -> {
          String name = name(payload, "name");
          try {
            return query(db, "INSERT INTO people (name) VALUES (?) RETURNING id, name", name).get(0);
          } catch (SQLException e) {
            if (isUniqueViolation(e)) {
              throw ServiceException.conflict("name: \"" + name + "\" exists already");
            }
            throw e;
          }
        })
        .command("pets", payload -> {
          if (payload.path("owner").isMissingNode() || payload.path("owner").isNull()) {
            throw ServiceException.invalid("owner: missing (expected: the name of a person, as ?owner=Alice)");
          }
          String owner = name(payload, "owner");
          if (query(db, "SELECT id FROM people WHERE name = ?", owner).isEmpty()) {
            throw ServiceException.notFound("owner: no person named \"" + owner + "\"");
          }
          JsonNode pets;
          try {
            pets = services.call("pets", "list", Map.of("owner", owner), timeout).join();
          } catch (CompletionException e) {
            throw e.getCause() instanceof ServiceException s ? s : e;
          }
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("owner", owner);
          result.put("pets", pets);
          return result;
        })
        .build();
  }

  /** The pets service: {@code list [{owner}]}, {@code add {name, kind, owner}}. */
  public static Service pets(DataSource db) {
    return Service.builder("pets")
        .command("list", payload -> payload.hasNonNull("owner")
            ? query(db, "SELECT id, name, kind, owner FROM pets WHERE owner = ? ORDER BY id", name(payload, "owner"))
            : query(db, "SELECT id, name, kind, owner FROM pets ORDER BY id"))
        .command("add", payload -> query(db, "INSERT INTO pets (name, kind, owner) VALUES (?, ?, ?) "
            + "RETURNING id, name, kind, owner", name(payload, "name"), name(payload, "kind"),
            name(payload, "owner")).get(0))
        .build();
  }

  /** A required text field of 1 to {@link #MAX_NAME} characters, trimmed. */
  static String name(JsonNode payload, String field) {
    JsonNode v = payload.get(field);
    if (v == null || v.isNull()) {
      throw ServiceException.invalid(field + ": missing (expected: 1 to " + MAX_NAME + " characters)");
    }
    if (!v.isTextual()) {
      throw ServiceException.invalid(field + ": " + v + " (expected: a string of 1 to " + MAX_NAME + " characters)");
    }
    String s = v.textValue().strip();
    if (s.isEmpty() || s.length() > MAX_NAME || s.chars().anyMatch(Character::isISOControl)) {
      throw ServiceException.invalid(field + ": \"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s)
          + "\" (expected: 1 to " + MAX_NAME + " characters, no control characters)");
    }
    return s;
  }

  private static List<Map<String, Object>> query(DataSource db, String sql, Object... args) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= columns; i++) {
            row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rs.getObject(i));
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  /** A unique constraint broken: SQLSTATE 23505 (PostgreSQL), SQLITE_CONSTRAINT_UNIQUE (SQLite). */
  private static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState()) || e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE")
        || e.getErrorCode() == 2067;
  }
}

package io.switchboard.gateway.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.gateway.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A demo service's database: a HikariCP pool on a JDBC URL, its schema created or migrated by Flyway when opened.
 * SQLite ({@code jdbc:sqlite:FILE}) and PostgreSQL ({@code jdbc:postgresql://…}) are supported; each service has its
 * own tables and its own Flyway history table ({@code flyway_people_history}), so two services may share one
 * PostgreSQL database. Thread-safe; {@link #close()} closes the pool.
 */
public final class DemoDatabase implements AutoCloseable {
  private final String url;
  private final HikariDataSource pool;

  private DemoDatabase(String url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Where the demo keeps its SQLite files: {@code $XDG_DATA_HOME/switchboard/}, or {@code ~/.local/share/switchboard/}
   * when that is unset.
   */
  public static Path dataDirectory() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".local", "share") : Path.of(xdg);
    return base.resolve("switchboard");
  }

  /** The default URL of a service's database: {@code jdbc:sqlite:} and {@code dataDirectory()/demo-SERVICE.db}. */
  public static String defaultUrl(String service) {
    return "jdbc:sqlite:" + dataDirectory().resolve("demo-" + service + ".db").toAbsolutePath();
  }

  /**
   * Opens a service's database and brings its schema up to date (creating it, with a little sample data, the first
   * time).
   *
   * @param url a JDBC URL ({@code jdbc:sqlite:…} or {@code jdbc:postgresql://…}); user and password may be in it
   * @param service {@code people} or {@code pets}: which schema
   * @throws GatewayException if the database cannot be reached or migrated (the message says which URL and why)
   */
  public static DemoDatabase open(String url, String service) {
    Objects.requireNonNull(url, "url");
    String vendor = vendor(url);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName("switchboard-" + service);
    config.setConnectionTimeout(5_000);
    if (vendor.equals("sqlite")) {
      prepareSqliteFile(url);
      // one file, one writer at a time: a few connections, and writers wait for each other rather than fail
      config.setMaximumPoolSize(4);
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("busy_timeout", "5000");
    } else {
      config.setMaximumPoolSize(8);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new GatewayException("cannot open the " + service + " database at " + redact(url) + ": "
          + rootMessage(e), e);
    }
    try {
      Flyway.configure(DemoDatabase.class.getClassLoader())
          .dataSource(pool)
          .loggers("slf4j")
          .locations("classpath:io/switchboard/gateway/demo/db/" + service + "/" + vendor)
          .table("flyway_" + service + "_history")
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw new GatewayException("cannot migrate the " + service + " database at " + redact(url) + ": "
          + rootMessage(e), e);
    }
    return new DemoDatabase(url, pool);
  }

  private static String vendor(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return "sqlite";
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return "postgresql";
    }
    throw new GatewayException("database URL " + redact(url)
        + " (expected: jdbc:sqlite:FILE or jdbc:postgresql://HOST[:PORT]/DATABASE)");
  }

  private static void prepareSqliteFile(String url) {
    String file = url.substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    file = q < 0 ? file : file.substring(0, q);
    if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
      return;
    }
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new GatewayException("cannot make the directory " + parent + " for " + file + ": " + e, e);
    }
  }

  /** A URL without its password, for messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The JDBC URL. */
  public String url() {
    return url;
  }

  /** The pool. */
  public DataSource dataSource() {
    return pool;
  }

  /** Closes the pool. Idempotent. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "DemoDatabase[" + redact(url) + "]";
  }
}

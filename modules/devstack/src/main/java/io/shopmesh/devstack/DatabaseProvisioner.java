package io.shopmesh.devstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Creates roles and databases as the superuser, idempotently: running it again only makes sure the
 * password and the privileges are as asked.
 */
final class DatabaseProvisioner {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String DUPLICATE_DATABASE = "42P04";
  private static final String DUPLICATE_OBJECT = "42710";
  private static final String UNIQUE_VIOLATION = "23505";

  private final String superuserJdbcUrl;

  DatabaseProvisioner(String superuserJdbcUrl) {
    this.superuserJdbcUrl = superuserJdbcUrl;
  }

  void ensureRole(String role, String password) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
        ignoreDuplicate(s, "CREATE ROLE " + ident(role));
      }
      s.execute("ALTER ROLE " + ident(role) + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD "
          + literal(password));
    }
  }

  /** The database, owned by {@code role}, which alone may connect to it (PUBLIC may not). */
  void ensureDatabase(String database, String role) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
        ignoreDuplicate(s, "CREATE DATABASE " + ident(database) + " OWNER " + ident(role));
      }
      s.execute("ALTER DATABASE " + ident(database) + " OWNER TO " + ident(role));
      s.execute("REVOKE CONNECT, TEMPORARY ON DATABASE " + ident(database) + " FROM PUBLIC");
      s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + ident(database) + " TO " + ident(role));
    }
  }

  void dropDatabase(String database) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + ident(database) + " WITH (FORCE)");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(superuserJdbcUrl);
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Another caller may have created it between our check and our CREATE; that is success too. */
  private static void ignoreDuplicate(Statement s, String ddl) throws SQLException {
    try {
      s.execute(ddl);
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (!DUPLICATE_DATABASE.equals(state) && !DUPLICATE_OBJECT.equals(state) && !UNIQUE_VIOLATION.equals(state)) {
        throw e;
      }
    }
  }

  /** DDL takes no bind parameters, so names are restricted to plain lower-case identifiers. */
  private static String ident(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain lower-case SQL name: '" + name + "'");
    }
    return '"' + name + '"';
  }

  private static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}

package io.shopmesh.devstack;

/**
 * One service's own database and the login role that owns it. Only this role may connect to it,
 * and only with its password.
 *
 * @param host always {@code 127.0.0.1}
 * @param port the PostgreSQL port
 * @param database the database name, e.g. {@code orders} or {@code orders_t3f9a}
 * @param role the login role, e.g. {@code orders}
 * @param password the role's password (never part of {@link #url()})
 */
public record ServiceDatabase(String host, int port, String database, String role, String password) {

  /** A libpq URL without the password, e.g. {@code postgresql://orders@127.0.0.1:54320/orders}. */
  public String url() {
    return "postgresql://" + role + "@" + host + ":" + port + "/" + database;
  }

  /** A JDBC URL naming the role but not the password; pass the password as a property. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=" + role;
  }

  @Override
  public String toString() {
    return "ServiceDatabase[" + url() + "]";
  }
}

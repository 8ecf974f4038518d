package io.shopmesh.users.http;

/**
 * The request bodies of the users API, decoded strictly (unknown fields such as {@code roles} are
 * a 400). Their string forms leave secrets out.
 */
final class Requests {

  private Requests() {
  }

  record Register(String email, String password, String name) {

    @Override
    public String toString() {
      return "Register[email=" + email + ", name=" + name + "]";
    }
  }

  record Login(String email, String password) {

    @Override
    public String toString() {
      return "Login[email=" + email + "]";
    }
  }

  record Refresh(String refreshToken) {

    @Override
    public String toString() {
      return "Refresh[]";
    }
  }

  record ProfileUpdate(String name) {
  }
}

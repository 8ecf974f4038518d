package io.shopmesh.users.domain;

import io.shopmesh.platform.errors.ProblemException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewAccountTest {

  private static final String PASSWORD = "correct horse battery staple";

  private static void assertRejected(String email, String password, String name, String field, String message) {
    assertThatThrownBy(() -> NewAccount.validate(email, password, name))
        .isInstanceOfSatisfying(ProblemException.class, problem -> {
          assertThat(problem.status()).isEqualTo(400);
          assertThat(problem.extensions().get("errors")).isEqualTo(List.of(Map.of("field", field, "message", message)));
        });
  }

  @Test
  @DisplayName("a valid registration keeps the password, lower-cases the email and trims the name")
  void normalizes() {
    NewAccount account = NewAccount.validate("Ada.Lovelace@Example.COM", PASSWORD, "  Ada  ");
    assertThat(account.email()).isEqualTo("ada.lovelace@example.com");
    assertThat(account.name()).isEqualTo("Ada");
    assertThat(account.password()).isEqualTo(PASSWORD);
    assertThat(account.toString()).doesNotContain(PASSWORD);
  }

  @Test
  @DisplayName("plausible addresses pass and malformed ones get 'is not a valid email address'")
  void emails() {
    for (String ok : List.of("a@b.io", "first.last+tag@sub.example.org", "o'brien@example.ie", "x@xn--bcher-kva.de")) {
      assertThat(NewAccount.validate(ok, PASSWORD, "n").email()).isEqualTo(ok.toLowerCase());
    }
    for (String bad : List.of("plain", "@example.com", "a@", "a@localhost", "a b@example.com", "a..b@example.com",
        ".a@example.com", "a@-example.com", "a@example..com", "ü@example.com", "a@b.io\n", "l".repeat(65) + "@b.io")) {
      assertRejected(bad, PASSWORD, "n", "email", "is not a valid email address");
    }
    assertRejected("a".repeat(250) + "@b.io", PASSWORD, "n", "email", "must be at most 254 characters");
    assertThat(NewAccount.validate("a".repeat(64) + "@" + "b".repeat(60) + ".io", PASSWORD, "n")).isNotNull();
  }

  @Test
  @DisplayName("passwords count characters, not bytes: 12 to 128 are accepted")
  void passwords() {
    assertRejected("a@b.io", "p".repeat(11), "n", "password", "must be at least 12 characters");
    assertRejected("a@b.io", "p".repeat(129), "n", "password", "must be at most 128 characters");
    assertRejected("a@b.io", "", "n", "password", "is required");
    assertThat(NewAccount.validate("a@b.io", "p".repeat(12), "n")).isNotNull();
    assertThat(NewAccount.validate("a@b.io", "p".repeat(128), "n")).isNotNull();
    assertThat(NewAccount.validate("a@b.io", "🔑".repeat(12), "n")).as("12 emoji are 12 characters").isNotNull();
  }

  @Test
  @DisplayName("a name has 1 to 100 characters and no control characters")
  void names() {
    assertRejected("a@b.io", PASSWORD, null, "name", "is required");
    assertRejected("a@b.io", PASSWORD, " \t ", "name", "must not be blank");
    assertRejected("a@b.io", PASSWORD, "n".repeat(101), "name", "must be at most 100 characters");
    assertRejected("a@b.io", PASSWORD, "Ada\u0000Lovelace", "name", "must not contain control characters");
    assertThat(NewAccount.validate("a@b.io", PASSWORD, "n".repeat(100)).name()).hasSize(100);
    assertThat(NewAccount.validName(" Zoë ")).isEqualTo("Zoë");
  }
}

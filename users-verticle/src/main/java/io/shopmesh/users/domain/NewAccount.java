package io.shopmesh.users.domain;

import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A registration that passed validation: the email lower-cased (addresses are unique regardless
 * of case), the name trimmed. Its string form leaves the password out.
 */
public record NewAccount(String email, String password, String name) {

  public static final int EMAIL_MAX = 254;
  public static final int PASSWORD_MIN = 12;
  public static final int PASSWORD_MAX = 128;
  public static final int NAME_MAX = 100;

  /**
   * Deliberately plain: an ASCII local part of the characters RFC 5322 allows unquoted, and a
   * domain of at least two DNS labels (internationalised domains arrive in their punycode form).
   */
  private static final Pattern EMAIL = Pattern.compile(
      "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  /** Validates all three fields at once; fails with a 400 listing every offending field. */
  public static NewAccount validate(String email, String password, String name) {
    List<FieldError> errors = new ArrayList<>();
    emailError(email).ifPresent(errors::add);
    passwordError(password).ifPresent(errors::add);
    nameError(name).ifPresent(errors::add);
    if (!errors.isEmpty()) {
      throw ProblemException.invalidFields(errors);
    }
    return new NewAccount(normalizeEmail(email), password, name.strip());
  }

  /** The form in which emails are stored and looked up. */
  public static String normalizeEmail(String email) {
    return email.toLowerCase(Locale.ROOT);
  }

  /** A valid new display name, trimmed; fails with a 400 naming the field otherwise. */
  public static String validName(String name) {
    nameError(name).ifPresent(error -> {
      throw ProblemException.invalidFields(List.of(error));
    });
    return name.strip();
  }

  static Optional<FieldError> emailError(String email) {
    if (email == null || email.isEmpty()) {
      return error("email", "is required");
    }
    if (email.length() > EMAIL_MAX) {
      return error("email", "must be at most " + EMAIL_MAX + " characters");
    }
    int at = email.lastIndexOf('@');
    if (!EMAIL.matcher(email).matches() || at > 64) {
      return error("email", "is not a valid email address");
    }
    return Optional.empty();
  }

  static Optional<FieldError> passwordError(String password) {
    if (password == null || password.isEmpty()) {
      return error("password", "is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < PASSWORD_MIN) {
      return error("password", "must be at least " + PASSWORD_MIN + " characters");
    }
    if (length > PASSWORD_MAX) {
      return error("password", "must be at most " + PASSWORD_MAX + " characters");
    }
    return Optional.empty();
  }

  static Optional<FieldError> nameError(String name) {
    if (name == null) {
      return error("name", "is required");
    }
    String stripped = name.strip();
    if (stripped.isEmpty()) {
      return error("name", "must not be blank");
    }
    if (stripped.codePointCount(0, stripped.length()) > NAME_MAX) {
      return error("name", "must be at most " + NAME_MAX + " characters");
    }
    if (CONTROL.matcher(stripped).find()) {
      return error("name", "must not contain control characters");
    }
    return Optional.empty();
  }

  private static Optional<FieldError> error(String field, String message) {
    return Optional.of(new FieldError(field, message));
  }

  @Override
  public String toString() {
    return "NewAccount[email=" + email + ", name=" + name + "]";
  }
}

package io.shopmesh.users.domain;

import io.shopmesh.platform.errors.ProblemException;

/** Registration outcome: another account already uses this email (compared without case). */
public final class EmailTaken extends ProblemException {

  public EmailTaken() {
    super(409, "Conflict", "an account with this email already exists");
  }
}

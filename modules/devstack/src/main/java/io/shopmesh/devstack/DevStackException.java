package io.shopmesh.devstack;

/**
 * A problem the person starting the stack can fix (a busy port, a missing jar, an unusable data
 * directory). Its message is one line meant to be printed as is, without a stack trace.
 */
public class DevStackException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}

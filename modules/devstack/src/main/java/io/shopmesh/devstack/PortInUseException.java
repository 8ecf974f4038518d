package io.shopmesh.devstack;

/** A port the stack needs is taken; the message names the port, its user and the flag to change it. */
public final class PortInUseException extends DevStackException {

  private static final long serialVersionUID = 1L;

  public PortInUseException(String message) {
    super(message);
  }
}

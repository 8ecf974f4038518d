package io.shopmesh.platform.discovery;

/**
 * One reachable instance of a mesh service.
 *
 * @param id unique per running instance, so one can be removed without touching the others
 */
public record ServiceInstance(String service, String id, String host, int port) {

  public String baseUrl() {
    return "http://" + host + ":" + port;
  }
}

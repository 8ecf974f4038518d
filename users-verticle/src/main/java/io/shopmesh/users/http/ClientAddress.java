package io.shopmesh.users.http;

import io.shopmesh.platform.config.ConfigException;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request came from, for per-address login limits. {@code X-Forwarded-For} is
 * believed only when the connection comes from a trusted proxy (the gateway: an address or a
 * CIDR range such as a pod network, from {@code login.trustedProxies}), and then only its last
 * entry: the one that proxy wrote itself.
 */
final class ClientAddress {

  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private final List<Network> trustedProxies;

  ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(Network::parse).toList();
  }

  String of(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    if (!trusted(peer)) {
      return peer;
    }
    String forwarded = ctx.request().getHeader("X-Forwarded-For");
    if (forwarded == null) {
      return peer;
    }
    String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
    return LITERAL.matcher(last).matches() ? last : peer;
  }

  boolean trusted(String peer) {
    Optional<byte[]> address = literal(peer);
    return address.isPresent() && trustedProxies.stream().anyMatch(network -> network.contains(address.get()));
  }

  /** The bytes of an IP literal; never a DNS lookup. */
  private static Optional<byte[]> literal(String text) {
    if (!LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private record Network(byte[] address, int prefixBits) {

    static Network parse(String entry) {
      int slash = entry.indexOf('/');
      Optional<byte[]> address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address.isEmpty()) {
        throw invalid(entry);
      }
      int bits = address.get().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw invalid(entry);
        }
        if (prefix < 0 || prefix > bits) {
          throw invalid(entry);
        }
      }
      return new Network(address.get(), prefix);
    }

    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      for (int bit = 0; bit < prefixBits; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((candidate[bit / 8] & mask) != (address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    private static ConfigException invalid(String entry) {
      return new ConfigException("config key 'login.trustedProxies': expected IP addresses or CIDR ranges, got '"
          + entry + "'");
    }
  }
}

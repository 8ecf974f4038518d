package io.shopmesh.inventory.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a page of products ended: the last sku shown. Products are listed in sku order and the
 * next page starts strictly after it, so pages neither repeat nor skip products that existed
 * when paging began, however many are added meanwhile. Clients see it as an opaque string.
 */
public record PageCursor(String afterSku) {

  public String encode() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(afterSku.getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads a cursor made by {@link #encode}; throws {@link IllegalArgumentException} for anything else. */
  public static PageCursor decode(String cursor) {
    if (cursor.length() > 128) {
      throw new IllegalArgumentException("cursor too long");
    }
    String sku = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    if (!ProductRules.validSku(sku)) {
      throw new IllegalArgumentException("not a cursor");
    }
    return new PageCursor(sku);
  }
}

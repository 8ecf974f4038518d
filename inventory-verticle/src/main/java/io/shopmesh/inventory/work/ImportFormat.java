package io.shopmesh.inventory.work;

import java.util.Locale;
import java.util.Optional;

/** The file formats an import accepts, by request {@code Content-Type}; text is UTF-8. */
public enum ImportFormat {

  CSV("text/csv"),
  NDJSON("application/x-ndjson");

  private final String mediaType;

  ImportFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The format of {@code contentType} ({@code text/csv; charset=utf-8} and the like), if it is one. */
  public static Optional<ImportFormat> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] param = parts[i].trim().split("=", 2);
      if (param[0].equals("charset") && (param.length < 2 || !param[1].replace("\"", "").trim().equals("utf-8"))) {
        return Optional.empty();
      }
    }
    String type = parts[0].trim();
    for (ImportFormat format : values()) {
      if (format.mediaType.equals(type)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}

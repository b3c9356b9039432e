package dev.bootj.oci.manifest;

import java.util.Locale;

/** An operating system and CPU architecture, as image indexes name them: {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {

  /** Parses {@code os/arch[/variant]}, the form of {@code --platform}. */
  public static Platform parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a platform; write os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null);
  }

  /** The platform this JVM runs on, in the Go names that image indexes use. */
  public static Platform current() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> new Platform("linux", "amd64", null);
      case "aarch64", "arm64" -> new Platform("linux", "arm64", null);
      case "arm" -> new Platform("linux", "arm", "v7");
      case "x86", "i386", "i686" -> new Platform("linux", "386", null);
      default -> new Platform("linux", arch, null);
    };
  }

  /**
   * Whether an image built for {@code candidate} is what this platform asks for. arm64 without a
   * variant means v8, as containerd treats it.
   */
  public boolean accepts(Platform candidate) {
    if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
      return false;
    }
    return normalisedVariant(variant).equals(normalisedVariant(candidate.variant))
        || (variant == null && candidate.variant == null);
  }

  private String normalisedVariant(String v) {
    if (v == null || v.isEmpty()) {
      return architecture.equals("arm64") ? "v8" : "";
    }
    return v;
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}

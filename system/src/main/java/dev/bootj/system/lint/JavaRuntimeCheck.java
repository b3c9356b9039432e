package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java runtime that can run bootj: a {@code java} on the PATH that bootj's launcher and its
 * systemd unit search, of version 17 or later when the runtime's {@code release} file says which.
 */
final class JavaRuntimeCheck implements LintCheck {

  static final int MINIMUM_VERSION = 17;

  /** systemd's default PATH for services, which is where bootj-update.service finds java. */
  static final List<String> PATH = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

  @Override
  public String name() {
    return "java";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "a Java " + MINIMUM_VERSION + "+ runtime (java on the PATH), which bootj runs on";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    Optional<Path> java = Optional.empty();
    for (String directory : PATH) {
      java = root.findRegularFile(directory + "/java").filter(Files::isExecutable);
      if (java.isPresent()) {
        break;
      }
    }
    if (java.isEmpty()) {
      return List.of("the image has no java on the PATH (" + String.join(":", PATH) + "), so bootj cannot run"
          + " on a machine installed from it; add to the Containerfile: RUN apt-get install -y"
          + " openjdk-17-jre-headless (Debian) or RUN dnf install -y java-17-openjdk-headless (Fedora)");
    }
    // java resolved inside the root is JAVA_HOME/bin/java; the runtime's release file says its version.
    Path release = java.get().getParent().getParent().resolve("release");
    if (!release.startsWith(root.directory()) || !Files.isRegularFile(release, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    Matcher version = JAVA_VERSION.matcher(Files.readString(release));
    if (version.find() && Integer.parseInt(version.group(1)) < MINIMUM_VERSION) {
      return List.of("the image's java is version " + version.group(1) + " (its release file says so) and"
          + " bootj needs " + MINIMUM_VERSION + " or later; install openjdk-17-jre-headless or newer");
    }
    return List.of();
  }
}

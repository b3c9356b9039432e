package dev.bootj.installer.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A staged image root seen as the machine will see it: absolute symlinks inside it point into the
 * root, never at the host ({@code /etc/os-release -> ../usr/lib/os-release}, Debian's
 * {@code /vmlinuz -> boot/vmlinuz-6.1.0-...}, or an absolute target).
 */
public record ImageRoot(Path directory) {

  private static final int MAX_LINKS = 40;

  /** The host path of {@code imagePath} ("/usr/lib/os-release"), links resolved within the root. */
  public Optional<Path> find(String imagePath) throws IOException {
    Path current = directory;
    java.util.Deque<String> pending = new java.util.ArrayDeque<>(java.util.List.of(imagePath.split("/")));
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        current = current.equals(directory) ? directory : current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      if (Files.isSymbolicLink(next)) {
        if (++links > MAX_LINKS) {
          return Optional.empty();
        }
        String target = Files.readSymbolicLink(next).toString();
        java.util.List<String> parts = java.util.List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          pending.push(parts.get(i));
        }
        if (target.startsWith("/")) {
          current = directory;
        }
        continue;
      }
      if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty();
      }
      current = next;
    }
    return Optional.of(current);
  }

  public Optional<Path> findRegularFile(String imagePath) throws IOException {
    return find(imagePath).filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
  }
}

package dev.bootj.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference unpacker {@code umoci} (Debian's umoci package), and also a builder of images:
 * {@code insert} and {@code repack} write layers of shapes other builders never do (a root entry
 * named {@code /}, a single-file layer that ends right after the file's data).
 */
public final class Umoci {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  private Umoci() {}

  /** An empty OCI layout at {@code layout} with an image of no layers tagged {@code tag}. */
  public static void newImage(Path layout, String tag) {
    run("init", "--layout", layout.toString());
    run("new", "--image", layout + ":" + tag);
  }

  /** {@code umoci insert --image LAYOUT:TAG --tag NEWTAG SOURCE TARGET}: one new layer holding {@code source} as {@code target}. */
  public static void insert(Path layout, String tag, String newTag, Path source, String target) {
    run("insert", "--image", layout + ":" + tag, "--tag", newTag, source.toString(), target);
  }

  /** As {@link #insert}, with {@code --opaque}: the layer hides whatever earlier layers had under {@code target}. */
  public static void insertOpaque(Path layout, String tag, String newTag, Path source, String target) {
    run("insert", "--image", layout + ":" + tag, "--tag", newTag, "--opaque", source.toString(), target);
  }

  /** {@code umoci unpack --image LAYOUT:TAG BUNDLE}; the tree is {@code BUNDLE/rootfs}. */
  public static void unpack(Path layout, String tag, Path bundle) {
    run("unpack", "--image", layout + ":" + tag, bundle.toString());
  }

  /** {@code umoci repack --image LAYOUT:NEWTAG BUNDLE}: a layer of what changed in the bundle since its unpack. */
  public static void repack(Path layout, String newTag, Path bundle) {
    run("repack", "--image", layout + ":" + newTag, bundle.toString());
  }

  private static void run(String... args) {
    List<String> command = new ArrayList<>(List.of("umoci"));
    command.addAll(List.of(args));
    HostCommand.run(TIMEOUT, command);
  }
}

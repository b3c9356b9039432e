package dev.bootj.oci.unpack;

import dev.bootj.common.files.RootResolver;
import dev.bootj.common.files.RootedPath;
import dev.bootj.common.files.SubtreeDeleter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * One whiteout entry: {@code .wh.NAME} hides NAME of the lower layers, {@code .wh..wh..opq} hides
 * every lower child of its directory. The marker itself is never created. What the current layer
 * created survives, so the marker may come before or after the layer's own children.
 */
final class Whiteout {

  private final RootedPath directory;
  private final String marker;
  private final String entryName;

  Whiteout(RootedPath directory, String marker, String entryName) {
    this.directory = directory;
    this.marker = marker;
    this.entryName = entryName;
  }

  void apply(LayerChangeLog changes, SubtreeDeleter deleter, RootResolver resolver)
      throws IOException {
    boolean opaque = marker.equals(LayerUnpacker.OPAQUE_MARKER);
    String hidden = marker.substring(LayerUnpacker.WHITEOUT_PREFIX.length());
    if (!opaque && (hidden.isEmpty() || hidden.equals(".") || hidden.equals(".."))) {
      throw new InvalidLayerException("layer entry '" + entryName + "' is a whiteout for no name");
    }
    BasicFileAttributes parent = RootResolver.lstatOrNull(directory.absolute());
    if (parent == null || !parent.isDirectory()) {
      return; // nothing below a missing directory to hide
    }
    if (opaque) {
      removeLowerChildren(directory, changes, deleter);
    } else {
      RootedPath target = directory.child(hidden);
      if (RootResolver.lstatOrNull(target.absolute()) != null) {
        changes.childrenChanging(directory);
        removeLower(target, changes, deleter);
      }
    }
    resolver.forget();
  }

  private void removeLower(RootedPath path, LayerChangeLog changes, SubtreeDeleter deleter)
      throws IOException {
    if (!changes.createdOrAncestorOfCreated(path)) {
      deleter.delete(path.absolute());
      return;
    }
    BasicFileAttributes attributes = RootResolver.lstatOrNull(path.absolute());
    if (attributes != null && attributes.isDirectory()) {
      removeLowerChildren(path, changes, deleter);
    }
  }

  private void removeLowerChildren(RootedPath dir, LayerChangeLog changes, SubtreeDeleter deleter)
      throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir.absolute())) {
      for (Path child : children) {
        names.add(child.getFileName().toString());
      }
    }
    for (String name : names) {
      RootedPath child = dir.child(name);
      if (!changes.createdOrAncestorOfCreated(child)) {
        changes.childrenChanging(dir);
      }
      removeLower(child, changes, deleter);
    }
  }
}

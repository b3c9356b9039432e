package dev.bootj.oci.unpack;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.RootResolver;
import dev.bootj.common.files.RootedPath;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.common.files.SymlinkLoopException;
import dev.bootj.common.posix.PosixCalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies OCI image layers, one after the other, to a root directory, with the result umoci's
 * {@code unpack} gives: same types, contents, owners, modes, xattrs, mtimes and hard links.
 *
 * <p><b>Safety.</b> Nothing outside root is ever created, changed or deleted. Entry names are
 * resolved as if root were "/" after chroot ({@link RootResolver}); an entry's own final component
 * is never followed, so a symlink planted by a layer is replaced, not written through. A leading
 * "/" or "./" is dropped, and "/", "." and "./" name the root itself, whose metadata the entry
 * sets (as umoci does). Names whose ".." climbs above the root are refused with {@link
 * UnsafeLayerException}.
 *
 * <p><b>Implied parents.</b> A directory a layer needs but does not list is made as containerd and
 * umoci make it: {@code mkdir} with mode 0755 (less the umask), owned by the unpacking user, except
 * that inside a setgid directory it takes that directory's group and the setgid bit, as the kernel
 * decides. Because this layer's directory modes are applied only at its end, a setgid bit the
 * layer gives the parent is taken into account here as if it were already set.
 *
 * <p><b>Whiteouts.</b> {@code .wh.NAME} deletes NAME as lower layers left it; {@code .wh..wh..opq}
 * empties its directory of what lower layers left. Both spare whatever this layer itself created,
 * wherever the marker sits in the tar, because the layer's writes are tracked in a {@link
 * LayerChangeLog}.
 *
 * <p><b>Directory times.</b> A directory's mode and mtime are applied after the whole layer is
 * written (adding children would otherwise change the mtime again). A directory that has no entry
 * in this layer but whose children change keeps its previous mtime, as with umoci.
 *
 * <p><b>Rootless mode.</b> When the effective uid is not 0, the unpacker does what an unprivileged
 * process can, like {@code umoci --rootless}: it warns once through the warnings consumer, writes
 * every file with the caller as owner, skips device nodes (FIFOs are still made), and skips xattrs
 * the kernel refuses with EPERM (trusted.* and security.*). Directories are made writable for
 * their owner while this layer changes their children, then given their mode back. Everything else
 * (contents, modes, user.* xattrs, times, links) is restored as usual.
 *
 * <p>Not thread-safe; one instance per root, layers applied in order.
 */
public final class LayerUnpacker {

  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE_MARKER = ".wh..wh..opq";

  private static final int SETGID = 02000;
  private static final FileAttribute<Set<PosixFilePermission>> IMPLIED_DIRECTORY_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));

  private static final boolean UTF8_FILE_NAMES =
      "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"));

  private final RootResolver resolver;
  private final boolean rootless;
  private final MetadataWriter metadata;
  private final SubtreeDeleter deleter;
  /** Hashes file contents while a layer is being listed; null otherwise. */
  private ContentHasher hasher;

  /**
   * @param root an existing directory
   * @param warnings receives one-line messages for the user, e.g. the rootless notice
   */
  public LayerUnpacker(Path root, Consumer<String> warnings) {
    Objects.requireNonNull(warnings, "warnings");
    this.resolver = new RootResolver(root.toAbsolutePath().normalize());
    this.rootless = PosixCalls.effectiveUid() != 0;
    this.metadata = new MetadataWriter(rootless, warnings);
    this.deleter = new SubtreeDeleter(rootless);
    if (rootless) {
      warnings.accept(
          "not running as root: file owners, device nodes and trusted./security. xattrs are not restored");
    }
  }

  /**
   * Applies one layer given as an uncompressed tar stream on top of what root already holds. Reads
   * through the end-of-archive blocks (or EOF) and does not close the stream.
   */
  public LayerStats apply(InputStream tar) throws IOException {
    return apply(tar, null);
  }

  /**
   * Applies one layer like {@link #apply(InputStream)} and adds its entries to {@code listing}, as
   * {@link LayerListing#read} would list them, with each file hashed as it is written: the layer
   * is read once for both. On a failure {@code listing} holds part of the layer only.
   *
   * @param listing receives the entries in order; null to list nothing
   */
  public LayerStats apply(InputStream tar, List<LayerListing.Entry> listing) throws IOException {
    TarReader reader = new TarReader(tar);
    this.hasher = listing == null ? null : new ContentHasher();
    LayerChangeLog changes = new LayerChangeLog(resolver.root().absolute(), rootless);
    // Lower layers may have been unpacked by someone else in between; trust nothing cached.
    resolver.forget();
    long entries = 0;
    long bytes = 0;
    for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
      entries++;
      LayerListing.Entry listed = listing == null ? null : LayerListing.listed(entry);
      if (hasher != null) {
        hasher.reset(null);
      }
      try {
        bytes += applyEntry(entry, reader, changes);
      } catch (SymlinkLoopException e) {
        throw new UnsafeLayerException(entry.name(), "goes through more than " + RootResolver.MAX_LINK_HOPS
            + " symbolic links (a loop?)");
      }
      if (listed != null && entry.kind() == LayerListing.Type.FILE) {
        // Content the unpacker did not write (a whiteout's) is hashed here, so the listing is
        // the one LayerListing.read gives.
        reader.copyContent(hasher);
        listed = LayerListing.withContent(listed, hasher.hex());
      }
      if (listed != null) {
        listing.add(listed);
      }
    }
    changes.finish(metadata);
    return new LayerStats(entries, bytes);
  }

  private long applyEntry(TarEntry entry, TarReader reader, LayerChangeLog changes)
      throws IOException {
    checkIds(entry);
    checkDeviceNumbers(entry);
    checkNameEncoding(entry);
    List<String> components = EntryNames.components(entry.name(), entry.name());
    if (components.isEmpty()) {
      applyRootEntry(entry, changes);
      return 0;
    }
    String name = components.get(components.size() - 1);
    RootedPath parent = resolver.resolve(components.subList(0, components.size() - 1));
    if (name.startsWith(WHITEOUT_PREFIX)) {
      new Whiteout(parent, name, entry.name()).apply(changes, deleter, resolver);
      return 0;
    }
    ensureDirectory(parent, entry, changes);
    RootedPath path = parent.child(name);
    changes.childrenChanging(parent);
    RootedPath linkTarget = entry.kind() == LayerListing.Type.HARDLINK ? hardLinkTarget(entry) : null;
    if (linkTarget != null && linkTarget.absolute().equals(path.absolute())) {
      return 0; // a link to itself: the file already is what the entry asks for
    }
    if (linkTarget != null && linkTarget.absolute().startsWith(path.absolute())) {
      // Replacing the path would delete the very file the link is to.
      throw new InvalidLayerException("layer entry '" + entry.name() + "' is a hard link to '" + entry.linkName()
          + "', which is inside the path it replaces");
    }
    if (rootless && (entry.kind() == LayerListing.Type.CHAR_DEVICE || entry.kind() == LayerListing.Type.BLOCK_DEVICE)) {
      return 0; // mknod needs CAP_MKNOD; announced in the rootless warning
    }

    Path target = path.absolute();
    long written;
    boolean keptExistingDirectory = false;
    // Most entries are new: try to create first and only look at what is there when that fails.
    try {
      written = create(entry, target, linkTarget, reader);
    } catch (FileAlreadyExistsException e) {
      BasicFileAttributes existing = RootResolver.lstatOrNull(target);
      keptExistingDirectory =
          existing != null && existing.isDirectory() && entry.kind() == LayerListing.Type.DIRECTORY;
      if (!keptExistingDirectory) {
        // Replace whatever is there, a symlink included: never write through it.
        deleter.delete(target);
        resolver.forget();
      }
      written = keptExistingDirectory ? 0 : create(entry, target, linkTarget, reader);
    }

    switch (entry.kind()) {
      case DIRECTORY:
        metadata.owner(target, entry);
        metadata.xattrs(target, entry.xattrs(), keptExistingDirectory);
        changes.directoryEntry(path, entry.mode(), entry.mtime());
        resolver.knownDirectory(path);
        break;
      case SYMLINK:
        resolver.forget();
        metadata.applyAll(target, entry, true);
        break;
      case HARDLINK:
        break; // a hard link shares its inode's metadata, and its header fields may be empty
      default:
        metadata.applyAll(target, entry, false);
    }
    changes.created(path);
    return written;
  }

  /**
   * Creates the entry's node at {@code target}, which must not exist, and returns the number of
   * content bytes written. Throws {@link FileAlreadyExistsException} before consuming content if
   * something is in the way. Never follows a symlink at {@code target}.
   */
  private long create(TarEntry entry, Path target, RootedPath linkTarget, TarReader reader)
      throws IOException {
    switch (entry.kind()) {
      case FILE:
        try (FileChannel out =
            FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          return reader.copyContent(hasher == null ? out : hasher.reset(out));
        }
      case DIRECTORY:
        Files.createDirectory(target);
        return 0;
      case SYMLINK:
        // Stored verbatim: an absolute target means the image's "/", which is what root becomes.
        PosixCalls.symlink(entry.linkName(), target);
        return 0;
      case HARDLINK:
        Files.createLink(target, linkTarget.absolute());
        return 0;
      case FIFO:
        PosixCalls.mknod(target, PosixCalls.S_IFIFO, entry.mode(), 0, 0);
        return 0;
      case CHAR_DEVICE:
        PosixCalls.mknod(target, PosixCalls.S_IFCHR, entry.mode(), entry.devMajor(), entry.devMinor());
        return 0;
      case BLOCK_DEVICE:
        PosixCalls.mknod(target, PosixCalls.S_IFBLK, entry.mode(), entry.devMajor(), entry.devMinor());
        return 0;
      default:
        throw new AssertionError(entry.kind());
    }
  }

  /** "/", "." or "./" in a layer describe the root itself; only its metadata can change. */
  private void applyRootEntry(TarEntry entry, LayerChangeLog changes) throws IOException {
    if (entry.kind() != LayerListing.Type.DIRECTORY) {
      throw new UnsafeLayerException(entry.name(), "would replace the root directory with a non-directory");
    }
    RootedPath root = resolver.root();
    metadata.owner(root.absolute(), entry);
    metadata.xattrs(root.absolute(), entry.xattrs(), true);
    changes.directoryEntry(root, entry.mode(), entry.mtime());
  }

  /**
   * Creates missing directories on the way to {@code directory}, like umoci does for layers that
   * omit parent entries. Existing components were checked by the resolver: none is a symlink.
   */
  private void ensureDirectory(RootedPath directory, TarEntry entry, LayerChangeLog changes)
      throws IOException {
    if (resolver.isKnownDirectory(directory)) {
      return;
    }
    BasicFileAttributes attributes = RootResolver.lstatOrNull(directory.absolute());
    if (attributes != null) {
      if (!attributes.isDirectory()) {
        throw new InvalidLayerException(
            "layer entry '" + entry.name() + "' needs '" + directory.relative()
                + "' to be a directory, but it is not");
      }
      resolver.knownDirectory(directory);
      return;
    }
    RootedPath current = resolver.root();
    for (String component : directory.relative().split("/")) {
      RootedPath next = current.child(component);
      BasicFileAttributes existing = RootResolver.lstatOrNull(next.absolute());
      if (existing == null) {
        changes.childrenChanging(current);
        try {
          Files.createDirectory(next.absolute(), IMPLIED_DIRECTORY_MODE);
          inheritSetgid(current, next, changes);
        } catch (FileAlreadyExistsException e) {
          // cannot happen without a concurrent writer; fall through to the check below
        }
        changes.created(next);
      } else if (!existing.isDirectory()) {
        throw new InvalidLayerException(
            "layer entry '" + entry.name() + "' needs '" + next.relative()
                + "' to be a directory, but it is not");
      }
      current = next;
    }
    resolver.knownDirectory(directory);
  }

  /**
   * The kernel gave {@code child} its parent's group and setgid bit if the parent is setgid now;
   * what counts is the mode the parent has once this layer is applied, which for a directory the
   * layer lists is still pending. Makes the child what mkdir under that final mode would have made.
   */
  private void inheritSetgid(RootedPath parent, RootedPath child, LayerChangeLog changes)
      throws IOException {
    Integer pending = changes.pendingMode(parent);
    if (pending == null) {
      return; // the parent's mode on disk is final: the kernel already decided
    }
    boolean wanted = (pending & SETGID) != 0;
    int childMode = (Integer) Files.getAttribute(child.absolute(), "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if (wanted == ((childMode & SETGID) != 0)) {
      return;
    }
    if (!rootless) {
      int group = wanted
          ? (Integer) Files.getAttribute(parent.absolute(), "unix:gid", LinkOption.NOFOLLOW_LINKS)
          : PosixCalls.effectiveGid();
      PosixCalls.lchown(child.absolute(), PosixCalls.effectiveUid(), group);
    }
    PosixCalls.chmod(child.absolute(), wanted ? (childMode & 07777) | SETGID : childMode & 07777 & ~SETGID);
  }

  /** Hard link targets resolve like entry names: parents followed inside root, the final name not. */
  private RootedPath hardLinkTarget(TarEntry entry) throws IOException {
    List<String> components = EntryNames.components(entry.linkName(), entry.name());
    if (components.isEmpty()) {
      throw new UnsafeLayerException(entry.name(), "is a hard link to the root directory");
    }
    RootedPath parent = resolver.resolve(components.subList(0, components.size() - 1));
    RootedPath target = parent.child(components.get(components.size() - 1));
    BasicFileAttributes attributes = RootResolver.lstatOrNull(target.absolute());
    if (attributes == null) {
      throw new InvalidLayerException(
          "layer entry '" + entry.name() + "' is a hard link to '" + entry.linkName()
              + "', which does not exist");
    }
    if (attributes.isDirectory()) {
      throw new InvalidLayerException(
          "layer entry '" + entry.name() + "' is a hard link to the directory '"
              + entry.linkName() + "'");
    }
    return target;
  }

  /**
   * The JVM turns file names into bytes with its file name encoding; anything but UTF-8 would
   * silently turn non-ASCII characters into '?'. Refuse instead of writing wrong names.
   */
  private static void checkNameEncoding(TarEntry entry) throws BootjException {
    if (!UTF8_FILE_NAMES && !(isAscii(entry.name()) && isAscii(entry.linkName()))) {
      throw new BootjException(
          BootjException.Kind.SYSTEM,
          "layer entry '" + entry.name() + "' has a non-ASCII name, but this JVM encodes file names as "
              + System.getProperty("sun.jnu.encoding") + "; run bootj with LC_ALL=C.UTF-8");
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Linux device numbers have a 12-bit major and a 20-bit minor; glibc refuses bigger ones. */
  private static void checkDeviceNumbers(TarEntry entry) throws InvalidLayerException {
    if (entry.devMajor() < 0 || entry.devMajor() > 0xfff || entry.devMinor() < 0 || entry.devMinor() > 0xfffff) {
      throw new InvalidLayerException(
          "layer entry '" + entry.name() + "' is a device " + entry.devMajor() + ":" + entry.devMinor()
              + ", which Linux cannot represent");
    }
  }

  private static void checkIds(TarEntry entry) throws InvalidLayerException {
    if (entry.uid() < 0 || entry.uid() > 0xFFFF_FFFEL || entry.gid() < 0 || entry.gid() > 0xFFFF_FFFEL) {
      throw new InvalidLayerException(
          "layer entry '" + entry.name() + "' has an owner outside the range Linux allows: "
              + entry.uid() + ":" + entry.gid());
    }
  }
}

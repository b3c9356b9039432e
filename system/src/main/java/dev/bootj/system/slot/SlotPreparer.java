package dev.bootj.system.slot;

import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.system.disk.FilesystemWriter;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

/**
 * Turns a staged image root, in place, into what slot A and the state partition hold: bootj's
 * additions go into the root, and the image's /var moves out to become the state partition's
 * first content. Both are then written to disk by a {@link FilesystemWriter} with no further change.
 */
public final class SlotPreparer {

  /** The two trees to write: the slot's root, and the state partition's (the machine's /var). */
  public record PreparedTrees(Path slotRoot, Path stateRoot) {}

  private final CommandRunner commands;

  public SlotPreparer(CommandRunner commands) {
    this.commands = commands;
  }

  public PreparedTrees prepare(Path stagedRoot, Fstab fstab, StateRecord state, Path rootSshAuthorizedKeys)
      throws IOException {
    keepPristineEtc(stagedRoot);
    writeFile(stagedRoot.resolve("etc/fstab"), fstab.text(), "rw-r--r--");
    installReadOnlyUsr(stagedRoot);
    makeMountPoint(stagedRoot.resolve(Fstab.ESP_MOUNT_POINT.substring(1)));
    if (rootSshAuthorizedKeys != null) {
      installAuthorizedKeys(stagedRoot, rootSshAuthorizedKeys);
    }
    Path stateRoot = moveVarOut(stagedRoot);
    Path record = stateRoot.resolve(StateRecord.PATH_IN_STATE.substring(1));
    Files.createDirectories(record.getParent());
    writeFile(record, state.toJson(), "rw-r--r--");
    return new PreparedTrees(stagedRoot, stateRoot);
  }

  /**
   * Turns a staged image root into the tree of an update's slot: /usr/etc gets the image's /etc,
   * /etc becomes {@code mergedEtc} (the three-way merge), whose fstab gets this slot's root. The
   * image's /var is dropped: the machine keeps its own, which updates never touch.
   *
   * @param fstab bootj's fstab for the new slot, written only when the merged /etc has none
   * @param oldRoot the current slot's PARTUUID, replaced by the new slot's in the merged fstab
   */
  public Path prepareUpdate(Path stagedRoot, Path mergedEtc, Fstab fstab, java.util.UUID oldRoot) throws IOException {
    keepPristineEtc(stagedRoot);
    installMergedEtc(stagedRoot, mergedEtc, fstab, oldRoot);
    SubtreeDeleter.forThisProcess().delete(moveVarOut(stagedRoot));
    return stagedRoot;
  }

  /**
   * What an update adds to a slot's tree whose /usr/etc already holds the new image's /etc: /etc
   * becomes {@code mergedEtc} (moved, so on the same filesystem), its fstab names this slot's root,
   * and /usr is made read-only at boot. A slot patched in place ({@code SlotPatcher}) gets exactly
   * this, as a slot written in full does through {@link #prepareUpdate}.
   */
  public void installMergedEtc(Path slotRoot, Path mergedEtc, Fstab fstab, java.util.UUID oldRoot) throws IOException {
    Path etc = slotRoot.resolve("etc");
    SubtreeDeleter.forThisProcess().delete(etc);
    Files.move(mergedEtc, etc, StandardCopyOption.ATOMIC_MOVE);
    Path fstabFile = etc.resolve("fstab");
    String oldRootWord = "PARTUUID=" + oldRoot;
    String merged = Files.isRegularFile(fstabFile, LinkOption.NOFOLLOW_LINKS) ? Files.readString(fstabFile) : "";
    if (merged.contains(oldRootWord)) {
      Files.writeString(fstabFile, merged.replace(oldRootWord, "PARTUUID=" + fstab.root().partUuid()));
    } else {
      writeFile(fstabFile, fstab.text(), "rw-r--r--");
    }
    installReadOnlyUsr(slotRoot);
    makeMountPoint(slotRoot.resolve(Fstab.ESP_MOUNT_POINT.substring(1)));
  }

  /** Paths of a slot that {@link #installMergedEtc} writes whatever the image has there. */
  public static boolean isWrittenByBootj(String relativePath) {
    return relativePath.equals(ReadOnlyUsrUnit.UNIT_DIRECTORY + "/" + ReadOnlyUsrUnit.NAME)
        || relativePath.equals(ReadOnlyUsrUnit.WANTS_DIRECTORY + "/" + ReadOnlyUsrUnit.NAME);
  }

  // /usr/etc is the image's /etc as shipped, so local changes are `diff -r /usr/etc /etc` and a
  // later update can merge three ways. cp -a keeps owners, modes, links, xattrs and hard links.
  private void keepPristineEtc(Path root) throws IOException {
    Path etc = root.resolve("etc");
    Path usrEtc = root.resolve("usr/etc");
    if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(etc);
    }
    // An image may already carry one (ostree-built images do); the container's /etc is the truth.
    SubtreeDeleter.forThisProcess().delete(usrEtc);
    Files.createDirectories(usrEtc.getParent());
    commands.run(CommandRunner.Command.of(Duration.ofMinutes(5),
        Tool.CP.program(), "-a", etc.toString(), usrEtc.toString()));
  }

  private static void installReadOnlyUsr(Path root) throws IOException {
    installUnit(root, ReadOnlyUsrUnit.NAME, ReadOnlyUsrUnit.text(), ReadOnlyUsrUnit.WANTS_DIRECTORY);
  }

  /**
   * Writes a unit of bootj's into the slot's /usr/lib/systemd/system, where no /etc merge can drop
   * it, and links it into {@code dependencyDirectory} (a {@code .wants} or {@code .requires}
   * directory there).
   */
  static void installUnit(Path root, String name, String text, String dependencyDirectory) throws IOException {
    Path units = root.resolve(ReadOnlyUsrUnit.UNIT_DIRECTORY);
    Files.createDirectories(units);
    writeFile(units.resolve(name), text, "rw-r--r--");
    Path dependencies = root.resolve(dependencyDirectory);
    Files.createDirectories(dependencies);
    Path link = dependencies.resolve(name);
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, Path.of("../" + name));
  }

  private static void installAuthorizedKeys(Path root, Path keys) throws IOException {
    Path ssh = root.resolve("root/.ssh");
    Files.createDirectories(ssh);
    Files.setPosixFilePermissions(root.resolve("root"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
    // sshd refuses keys that others can write; keep them root's alone.
    writeFile(ssh.resolve("authorized_keys"), Files.readString(keys), "rw-------");
  }

  // The image's /var leaves the slot (it is seeded once onto the state partition, then belongs to
  // the machine).
  private static Path moveVarOut(Path root) throws IOException {
    Path state = root.resolveSibling(root.getFileName() + ".var");
    SubtreeDeleter.forThisProcess().delete(state);
    moveVar(root, state);
    return state;
  }

  /**
   * Moves {@code root}'s /var to {@code destination} (made empty when the image has none), leaving
   * an empty /var with the original's mode and owner: the state partition's mount point.
   */
  static void moveVar(Path root, Path destination) throws IOException {
    Path var = root.resolve("var");
    if (Files.isDirectory(var, LinkOption.NOFOLLOW_LINKS)) {
      Map<String, Object> attributes = Files.readAttributes(var, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
      Files.move(var, destination, StandardCopyOption.ATOMIC_MOVE);
      Files.createDirectory(var);
      Files.setAttribute(var, "unix:mode", attributes.get("mode"));
      Files.setAttribute(var, "unix:uid", attributes.get("uid"));
      Files.setAttribute(var, "unix:gid", attributes.get("gid"));
      Files.setAttribute(destination, "unix:mode", attributes.get("mode"));
    } else {
      Files.deleteIfExists(var);
      Files.createDirectory(var);
      Files.createDirectory(destination);
    }
  }

  private static void makeMountPoint(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(dir);
      Files.createDirectories(dir);
    }
  }

  private static void writeFile(Path file, String text, String permissions) throws IOException {
    // A symlink here (Debian images may link /etc/fstab elsewhere) would make us write outside the root.
    Files.deleteIfExists(file);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
  }
}

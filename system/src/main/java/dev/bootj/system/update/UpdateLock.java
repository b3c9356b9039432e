package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.common.files.StableName;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One update at a time per machine (or per offline disk): an exclusive lock on a file under
 * /run/bootj. The kernel drops it when the process dies, so a kill -9 never leaves a stale lock;
 * the file records who holds it, for the message a second bootj prints.
 */
public final class UpdateLock implements AutoCloseable {

  public static final Path DIRECTORY = Path.of("/run/bootj");

  // Lock files held by this JVM. A second channel on a held file must not even be opened: closing
  // it would drop the process's lock (POSIX record locks belong to the process, not the channel).
  private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private UpdateLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * The lock of this machine when {@code disk} is null, else of that disk: one per disk, named by
   * a hash of its real path, so that two disks can be updated at once.
   */
  public static UpdateLock of(Path disk) throws IOException {
    if (disk == null) {
      return acquire(DIRECTORY, "update.lock", "this machine");
    }
    Path real = disk.toRealPath();
    return acquire(DIRECTORY, "disk-" + StableName.of(real.toString()) + ".lock", "disk " + real);
  }

  /**
   * @param name the lock file's name under {@code directory}
   * @param what what is locked, for the refusal ("this machine", "disk /srv/vm.img")
   * @throws BootjException when another bootj holds it
   */
  public static UpdateLock acquire(Path directory, String name, String what) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(name).toAbsolutePath();
    if (!HELD.add(file)) {
      throw refusal(what, "pid " + ProcessHandle.current().pid());
    }
    try {
      return lock(file, what);
    } catch (IOException | RuntimeException e) {
      HELD.remove(file);
      throw e;
    }
  }

  private static UpdateLock lock(Path file, String what) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    lock = channel.tryLock();
    if (lock == null) {
      String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
      channel.close();
      throw refusal(what, holder);
    }
    channel.truncate(0);
    channel.write(StandardCharsets.UTF_8.encode("pid " + ProcessHandle.current().pid() + "\n"), 0);
    return new UpdateLock(file, channel, lock);
  }

  private static Held refusal(String what, String holder) {
    return new Held("another bootj is already updating " + what
        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to finish, then run this again");
  }

  /** Another bootj holds the lock: the unattended update skips its cycle on this, and only this. */
  public static final class Held extends BootjException {
    Held(String message) {
      super(BootjException.Kind.SYSTEM, message);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      HELD.remove(file);
    }
  }
}

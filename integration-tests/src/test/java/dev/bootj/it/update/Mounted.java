package dev.bootj.it.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One partition of a disk image mounted through a loop device: read-write for a test to change, or
 * read-only for a test to look at.
 */
final class Mounted implements AutoCloseable {

  private final Path mountPoint;
  private final Loop loop;

  private Mounted(Path mountPoint, Loop loop) {
    this.mountPoint = mountPoint;
    this.loop = loop;
  }

  static Mounted partition(Path disk, long offset, long size) throws Exception {
    return mount(disk, offset, size, false, "rw");
  }

  /**
   * Mounted from a read-only loop device with {@code options} (such as xfs's
   * "ro,norecovery,nouuid": as found, even while a killed bootj still has it mounted).
   */
  static Mounted readOnly(Path disk, long offset, long size, String options) throws Exception {
    return mount(disk, offset, size, true, options);
  }

  private static Mounted mount(Path disk, long offset, long size, boolean readOnlyDevice, String options)
      throws Exception {
    Loop loop = Loop.attach(disk, offset, size, readOnlyDevice);
    Path mountPoint = Files.createTempDirectory("it-mount-");
    try {
      Host.run("mount", "-o", options, loop.device(), mountPoint.toString());
    } catch (IOException e) {
      loop.close();
      Files.deleteIfExists(mountPoint);
      throw e;
    }
    return new Mounted(mountPoint, loop);
  }

  Path path() {
    return mountPoint;
  }

  @Override
  public void close() throws Exception {
    Host.run("umount", mountPoint.toString());
    loop.close();
    Files.deleteIfExists(mountPoint);
  }
}

package dev.bootj.it.update;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One partition of a disk image mounted read-write through a loop device, for a test to change. */
final class Mounted implements AutoCloseable {

  private final Path mountPoint;
  private final String loop;

  private Mounted(Path mountPoint, String loop) {
    this.mountPoint = mountPoint;
    this.loop = loop;
  }

  static Mounted partition(Path disk, long offset, long size) throws Exception {
    String loop = Host.run("losetup", "--find", "--show", "--offset", String.valueOf(offset), "--sizelimit",
        String.valueOf(size), disk.toString()).strip();
    Path mountPoint = Files.createTempDirectory("it-mount-");
    try {
      Host.run("mount", loop, mountPoint.toString());
    } catch (IOException e) {
      Host.run("losetup", "--detach", loop);
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
    Host.run("losetup", "--detach", loop);
    Files.deleteIfExists(mountPoint);
  }
}

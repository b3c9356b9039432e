package dev.bootj.it.update;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A loop device over a byte range of a disk image (one partition), attached by a test; closing detaches it. */
final class Loop implements AutoCloseable {

  private final String device;

  private Loop(String device) {
    this.device = device;
  }

  static Loop attach(Path disk, long offset, long size, boolean readOnly) throws Exception {
    List<String> argv = new ArrayList<>(List.of("losetup", "--find", "--show", "--offset", String.valueOf(offset),
        "--sizelimit", String.valueOf(size)));
    if (readOnly) {
      argv.add("--read-only");
    }
    argv.add(disk.toString());
    return new Loop(Host.run(argv.toArray(String[]::new)).strip());
  }

  /** /dev/loopN. */
  String device() {
    return device;
  }

  @Override
  public void close() throws Exception {
    Host.run("losetup", "--detach", device);
  }
}

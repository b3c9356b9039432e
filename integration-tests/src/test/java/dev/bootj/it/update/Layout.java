package dev.bootj.it.update;

import dev.bootj.system.disk.GptReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/** A bootj disk's partitions, read from its GPT (1 ESP, 2 slot A, 3 slot B, 4 state). */
record Layout(List<GptReader.Entry> entries) {

  static Layout read(Path disk) throws IOException {
    return new Layout(new GptReader().read(disk));
  }

  private GptReader.Entry number(int n) {
    return entries.stream().filter(e -> e.number() == n).findFirst().orElseThrow();
  }

  long offset(int n) {
    return number(n).offsetBytes();
  }

  long size(int n) {
    return number(n).sizeBytes();
  }

  UUID partUuid(int n) {
    return number(n).partUuid();
  }
}

package dev.bootj.system.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderConfigTest {

  @Test
  void loaderConfigLetsTheEntriesDecide() {
    String text = new LoaderConfig(3).text();
    assertThat(text).contains("default bootj-*\n").contains("timeout 3\n").contains("editor no\n");
  }

  private static InstalledBootEntry entry(String name, long generation) {
    return InstalledBootEntry.parse(name, "title x\nversion " + generation + "-6.1.0-40-amd64\noptions root=x\n").orElseThrow();
  }

  @Test
  void highestGenerationBootsNext() {
    BootOrder order = BootOrder.of(List.of(entry("bootj-a.conf", 4), entry("bootj-b+3.conf", 5)));
    assertThat(order.next()).contains(Slot.B);
    assertThat(order.nextGeneration()).isEqualTo(6);
    assertThat(order.failedNewest()).isEmpty();
  }

  @Test
  void anEntryStillTryingStaysFirst() {
    BootOrder order = BootOrder.of(List.of(entry("bootj-a.conf", 4), entry("bootj-b+1-2.conf", 5)));
    assertThat(order.next()).contains(Slot.B);
  }

  @Test
  void anEntryWithNoTriesLeftFallsBehindTheOlderOne() {
    BootOrder order = BootOrder.of(List.of(entry("bootj-b+0-3.conf", 5), entry("bootj-a.conf", 4)));
    assertThat(order.next()).contains(Slot.A);
    assertThat(order.failedNewest()).map(InstalledBootEntry::slot).contains(Slot.B);
  }

  @Test
  void countersAndGenerationsAreReadFromNamesAndVersions() {
    InstalledBootEntry e = entry("bootj-b+2-1.conf", 7);
    assertThat(e.slot()).isEqualTo(Slot.B);
    assertThat(e.counter()).isEqualTo(new BootCounter(2, 1));
    assertThat(e.generation()).isEqualTo(7);
    assertThat(e.kernelVersion()).contains("6.1.0-40-amd64");
    assertThat(e.textWithGeneration(9)).contains("version 9-6.1.0-40-amd64\n").contains("title x\n");
    assertThat(InstalledBootEntry.parse("bootj-c.conf", "")).isEmpty();
    assertThat(InstalledBootEntry.parse("debian-6.1.conf", "")).isEmpty();
    assertThat(InstalledBootEntry.parse("bootj-a.conf.bootj-new", "")).isEmpty();
    // An entry from before generations (version = kernel version) sorts below any generation.
    assertThat(InstalledBootEntry.parse("bootj-a.conf", "version 6.1.0-40-amd64\n").orElseThrow().generation()).isZero();
  }
}

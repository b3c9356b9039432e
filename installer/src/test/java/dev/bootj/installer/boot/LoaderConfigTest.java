package dev.bootj.installer.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.installer.Slot;
import org.junit.jupiter.api.Test;

class LoaderConfigTest {

  @Test
  void loaderConfigNamesTheDefaultEntryAndReadsBack() {
    String text = new LoaderConfig(Slot.B, 3).text();
    assertThat(text).contains("default bootj-b.conf\n", "timeout 3\n", "editor no\n");
    assertThat(LoaderConfig.defaultSlotIn(text)).contains(Slot.B);
    assertThat(LoaderConfig.defaultSlotIn("default bootj-a\n")).contains(Slot.A);
    assertThat(LoaderConfig.defaultSlotIn("default other.conf\n")).isEmpty();
  }
}

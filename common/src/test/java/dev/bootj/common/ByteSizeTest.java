package dev.bootj.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

  @Test
  void parsesSizesAsPeopleWriteThem() {
    assertThat(ByteSize.parse("4096")).isEqualTo(4096);
    assertThat(ByteSize.parse("512M")).isEqualTo(512L << 20);
    assertThat(ByteSize.parse("8G")).isEqualTo(8L << 30);
    assertThat(ByteSize.parse("8GiB")).isEqualTo(8L << 30);
    assertThat(ByteSize.parse("8gb")).isEqualTo(8L << 30);
    assertThat(ByteSize.parse("1.5G")).isEqualTo(3L << 29);
    assertThat(ByteSize.parse("2T")).isEqualTo(2L << 40);
  }

  @Test
  void refusesWhatIsNotASize() {
    for (String bad : new String[] {"", "G", "4X", "-1G", "0"}) {
      assertThatThrownBy(() -> ByteSize.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void formatsInBinaryUnits() {
    assertThat(ByteSize.format(512)).isEqualTo("512 B");
    assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteSize.format(8L << 30)).isEqualTo("8 GiB");
  }
}

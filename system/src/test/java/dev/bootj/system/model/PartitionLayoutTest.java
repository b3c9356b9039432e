package dev.bootj.system.model;

import static dev.bootj.common.ByteSize.GIB;
import static dev.bootj.common.ByteSize.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionLayoutTest {

  @Test
  void roomyDiskGetsTwiceTheImagePerSlotAndTheRestForState() {
    PartitionLayout layout = PartitionLayout.plan(64 * GIB, 3 * GIB, null).orElseThrow();
    assertThat(layout.slotSizeBytes()).isEqualTo(6 * GIB);
    assertThat(layout.esp().offsetBytes()).isEqualTo(MIB);
    assertThat(layout.esp().sizeBytes()).isEqualTo(512 * MIB);
    assertThat(layout.state().endBytes()).isEqualTo(64 * GIB - MIB);
  }

  @Test
  void smallImageGetsAtLeastOneGibOfHeadroom() {
    assertThat(PartitionLayout.defaultSlotSize(64 * GIB, 300 * MIB)).isEqualTo(300 * MIB + GIB);
  }

  @Test
  void slotsAreCappedSoStateKeepsOneGib() {
    PartitionLayout layout = PartitionLayout.plan(4 * GIB, 975 * MIB, null).orElseThrow();
    assertThat(layout.state().sizeBytes()).isGreaterThanOrEqualTo(GIB);
    assertThat(layout.slotSizeBytes()).isEqualTo((4 * GIB - 2 * MIB - 512 * MIB - GIB) / 2 / MIB * MIB);
  }

  @Test
  void partitionsAreContiguousMibAlignedAndInOrder() {
    PartitionLayout layout = PartitionLayout.plan(10 * GIB + 12345, 1 * GIB, null).orElseThrow();
    List<Partition> parts = layout.partitions();
    for (int i = 0; i < parts.size(); i++) {
      assertThat(parts.get(i).role().number()).isEqualTo(i + 1);
      assertThat(parts.get(i).offsetBytes() % MIB).isZero();
      assertThat(parts.get(i).sizeBytes() % MIB).isZero();
      if (i > 0) {
        assertThat(parts.get(i).offsetBytes()).isEqualTo(parts.get(i - 1).endBytes());
      }
    }
    assertThat(layout.state().endBytes()).isLessThanOrEqualTo(layout.diskSizeBytes() - MIB);
    assertThat(parts).extracting(Partition::partUuid).doesNotHaveDuplicates();
  }

  @Test
  void givenSlotSizeIsRoundedUpToMibAndUsed() {
    PartitionLayout layout = PartitionLayout.plan(20 * GIB, GIB, 3 * GIB + 1).orElseThrow();
    assertThat(layout.slotSizeBytes()).isEqualTo(3 * GIB + MIB);
  }

  @Test
  void diskThatCannotHoldTwoSlotsAndStateIsRefused() {
    assertThat(PartitionLayout.plan(3 * GIB, GIB, 2 * GIB)).isEmpty();
    assertThat(PartitionLayout.plan(1 * GIB, 10 * MIB, null)).isEmpty();
    assertThat(PartitionLayout.minimumDiskSize(GIB)).isEqualTo(2 * MIB + 512 * MIB + 3 * GIB);
  }
}

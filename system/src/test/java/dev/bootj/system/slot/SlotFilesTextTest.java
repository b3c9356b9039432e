package dev.bootj.system.slot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.system.model.FilesystemType;
import dev.bootj.system.model.Partition;
import dev.bootj.system.model.PartitionRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The text bootj adds to a slot: fstab and the read-only /usr unit. */
class SlotFilesTextTest {

  private static final UUID A = UUID.fromString("11111111-2222-3333-4444-555555555555");

  @Test
  void fstabMountsStateOnVarAndEspOnEfiByPartuuidWithoutAUsrLine() {
    UUID s = UUID.randomUUID();
    UUID e = UUID.randomUUID();
    Fstab fstab = new Fstab(new Partition(PartitionRole.ROOT_A, 0, 1, A),
        new Partition(PartitionRole.STATE, 0, 1, s), new Partition(PartitionRole.ESP, 0, 1, e), FilesystemType.XFS);
    assertThat(fstab.text().lines().filter(l -> !l.startsWith("#")))
        .containsExactly("PARTUUID=" + A + " / xfs rw 0 1",
            "PARTUUID=" + s + " /var xfs defaults 0 2",
            "PARTUUID=" + e + " /efi vfat umask=0077 0 2");
    assertThat(fstab.text().lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.split(" ")[1].equals("/usr"));
  }

  @Test
  void readOnlyUsrUnitBindsThenRemountsReadOnlyEarly() {
    String unit = ReadOnlyUsrUnit.text();
    assertThat(unit).contains("DefaultDependencies=no", "Before=local-fs.target",
        "mount --bind /usr /usr", "mount -o remount,bind,ro /usr && exit 0");
  }
}

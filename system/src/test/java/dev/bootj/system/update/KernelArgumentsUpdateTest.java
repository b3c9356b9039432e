package dev.bootj.system.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KernelArgumentsUpdateTest {

  private static final UUID NEW_ROOT = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000003");

  @Test
  void theImagesArgumentsAreSwappedAndTheUsersKept() {
    List<String> current = List.of("root=PARTUUID=aaaaaaaa-0000-4000-8000-000000000002", "rw", "console=ttyS0",
        "old.only=1", "quiet", "mitigations=off");
    List<String> options = KernelArgumentsUpdate.options(NEW_ROOT, current, List.of("console=ttyS0", "old.only=1"),
        List.of("console=ttyS0", "new.only=1"));
    assertThat(options).containsExactly("root=PARTUUID=" + NEW_ROOT, "rw", "console=ttyS0", "new.only=1", "quiet",
        "mitigations=off");
  }

  @Test
  void aUsersDuplicateOfAnImageArgumentStays() {
    List<String> current = List.of("root=PARTUUID=x", "rw", "console=ttyS0", "console=ttyS0");
    assertThat(KernelArgumentsUpdate.options(NEW_ROOT, current, List.of("console=ttyS0"), List.of()))
        .containsExactly("root=PARTUUID=" + NEW_ROOT, "rw", "console=ttyS0");
  }

  @Test
  void noCurrentEntryGivesTheNewImagesArgumentsOnly() {
    assertThat(KernelArgumentsUpdate.options(NEW_ROOT, List.of(), List.of("a=1"), List.of("b=2")))
        .containsExactly("root=PARTUUID=" + NEW_ROOT, "rw", "b=2");
  }
}

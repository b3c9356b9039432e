package dev.bootj.system.autoupdate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.system.autoupdate.CyclePlan.Facts;
import dev.bootj.system.autoupdate.CyclePlan.Fetch;
import dev.bootj.system.autoupdate.UpdatePolicy.Mode;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CyclePlanTest {

  private static final String IMAGE = "registry.example/os:stable";
  private static final Facts NEW = new Facts(false, "sha256:new", "sha256:old", null, false);
  private static final Facts SAME = new Facts(false, "sha256:old", "sha256:old", null, false);

  @Test
  void eachModeGoesOneStepFurtherThanTheOneBefore() {
    assertThat(CyclePlan.fetch(Mode.OFF, NEW, IMAGE).fetch()).isEqualTo(Fetch.NONE);
    CyclePlan.FetchDecision check = CyclePlan.fetch(Mode.CHECK, NEW, IMAGE);
    assertThat(check.fetch()).isEqualTo(Fetch.NONE);
    assertThat(check.outcome()).isEqualTo(CycleOutcome.CHECKED);
    assertThat(check.message()).contains("update available").contains("sha256:new");
    assertThat(CyclePlan.fetch(Mode.DOWNLOAD, NEW, IMAGE).fetch()).isEqualTo(Fetch.DOWNLOAD);
    assertThat(CyclePlan.fetch(Mode.STAGE, NEW, IMAGE).fetch()).isEqualTo(Fetch.STAGE);
    assertThat(CyclePlan.fetch(Mode.APPLY, NEW, IMAGE).fetch()).isEqualTo(Fetch.STAGE);
  }

  @Test
  void nothingIsFetchedWithoutANewDigest() {
    for (Mode mode : List.of(Mode.CHECK, Mode.DOWNLOAD, Mode.STAGE, Mode.APPLY)) {
      CyclePlan.FetchDecision decision = CyclePlan.fetch(mode, SAME, IMAGE);
      assertThat(decision.fetch()).isEqualTo(Fetch.NONE);
      assertThat(decision.outcome()).isEqualTo(CycleOutcome.CHECKED);
      assertThat(decision.message()).startsWith("no update");
    }
  }

  @Test
  void aDigestThatFailedHereIsSkippedUntilTheTagMoves() {
    Facts failed = new Facts(false, "sha256:bad", "sha256:old", null, true);
    CyclePlan.FetchDecision decision = CyclePlan.fetch(Mode.APPLY, failed, IMAGE);
    assertThat(decision.fetch()).isEqualTo(Fetch.NONE);
    assertThat(decision.outcome()).isEqualTo(CycleOutcome.SKIPPED_FAILED_DIGEST);
    assertThat(decision.message()).contains("sha256:bad").contains("failed to boot");
    assertThat(CyclePlan.fetch(Mode.APPLY, new Facts(false, "sha256:fixed", "sha256:old", null, false), IMAGE).fetch())
        .isEqualTo(Fetch.STAGE);
  }

  @Test
  void aPinnedMachineAndARefusedImageAreLeftAlone() {
    CyclePlan.FetchDecision pinned = CyclePlan.fetch(Mode.APPLY, new Facts(true, null, "sha256:old", null, false), IMAGE);
    assertThat(pinned.outcome()).isEqualTo(CycleOutcome.SKIPPED);
    assertThat(pinned.message()).contains("pinned");
    CyclePlan.FetchDecision refused = CyclePlan.fetch(Mode.STAGE,
        new Facts(false, "sha256:new", "sha256:old", "no signature by the required key", false), IMAGE);
    assertThat(refused.fetch()).isEqualTo(Fetch.NONE);
    assertThat(refused.outcome()).isEqualTo(CycleOutcome.ERROR);
    assertThat(refused.message()).isEqualTo("no signature by the required key");
  }

  @Test
  void onlyApplyRebootsAndOnlyInsideTheWindow() {
    LocalDateTime saturdayNoon = LocalDateTime.of(2026, 12, 5, 12, 0);
    UpdatePolicy anyTime = new UpdatePolicy(Mode.APPLY, null, List.of());
    UpdatePolicy nights = new UpdatePolicy(Mode.APPLY, MaintenanceWindow.parse(List.of("02:00-05:00")), List.of());
    assertThat(CyclePlan.reboot(new UpdatePolicy(Mode.STAGE, null, List.of()), true, saturdayNoon)).isNull();
    assertThat(CyclePlan.reboot(anyTime, false, saturdayNoon)).as("nothing staged").isNull();
    assertThat(CyclePlan.reboot(anyTime, true, saturdayNoon)).isEqualTo(saturdayNoon);
    assertThat(CyclePlan.reboot(nights, true, saturdayNoon)).isEqualTo(LocalDateTime.of(2026, 12, 6, 2, 0));
    assertThat(CyclePlan.reboot(nights, true, LocalDateTime.of(2026, 12, 6, 3, 0)))
        .isEqualTo(LocalDateTime.of(2026, 12, 6, 3, 0));
  }
}

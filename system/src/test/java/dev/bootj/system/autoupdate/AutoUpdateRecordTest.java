package dev.bootj.system.autoupdate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoUpdateRecordTest {

  @TempDir Path var;

  @Test
  void failedDigestsAreRememberedOnceAndTheOldestForgottenBeyondTheLimit() throws Exception {
    AutoUpdateRecord record = AutoUpdateRecord.NONE;
    for (int i = 0; i < AutoUpdateRecord.FAILED_KEPT + 3; i++) {
      record = record.withFailed(new AutoUpdateRecord.FailedDigest("sha256:" + i, "os:tag", "v" + i, "2026-12-02T00:00:00Z"));
      record = record.withFailed(new AutoUpdateRecord.FailedDigest("sha256:" + i, "os:tag", "again", "later"));
    }
    assertThat(record.failedDigests()).hasSize(AutoUpdateRecord.FAILED_KEPT);
    assertThat(record.hasFailed("sha256:0")).isFalse();
    assertThat(record.hasFailed("sha256:" + (AutoUpdateRecord.FAILED_KEPT + 2))).isTrue();
    assertThat(record.failedDigests()).noneMatch(f -> f.version().equals("again"));
  }

  @Test
  void theRecordSurvivesAWriteAndADamagedOneStartsAfresh() throws Exception {
    AutoUpdateRecord.Cycle cycle = new AutoUpdateRecord.Cycle("2026-12-02T01:00:00Z", "2026-12-02T01:00:05Z", "apply",
        "staged", "staged os:2 into slot B", "os:2", "sha256:2", "2026-12-05T02:00:00Z");
    AutoUpdateRecord written = AutoUpdateRecord.NONE.withCycle(cycle)
        .withFailed(new AutoUpdateRecord.FailedDigest("sha256:3", "os:3", "3", "2026-12-01T00:00:00Z"));
    written.write(var);
    assertThat(AutoUpdateRecord.read(var)).isEqualTo(written);

    Files.writeString(var.resolve(AutoUpdateRecord.PATH_IN_STATE), "{ not json");
    assertThat(AutoUpdateRecord.read(var)).isEqualTo(AutoUpdateRecord.NONE);
  }
}

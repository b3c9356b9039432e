package dev.bootj.system.autoupdate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JournalLogTest {

  @Test
  void anEntryCarriesTheOutcomesMessageIdAndOneLineFields() {
    String entry = JournalLog.entry(CycleOutcome.SKIPPED_FAILED_DIGEST, "first line\nsecond line", "os:3", "sha256:3");
    assertThat(entry.lines()).containsExactly(
        "MESSAGE_ID=1da03f2b6a414ef0bcaa987e66fc9e41",
        "MESSAGE=first line second line",
        "PRIORITY=5",
        "SYSLOG_IDENTIFIER=bootj",
        "BOOTJ_OUTCOME=skipped-failed-digest",
        "BOOTJ_IMAGE=os:3",
        "BOOTJ_DIGEST=sha256:3");
    assertThat(JournalLog.entry(CycleOutcome.ERROR, "registry down", null, null)).contains("PRIORITY=3\n")
        .doesNotContain("BOOTJ_IMAGE");
  }

  @Test
  void everyOutcomeHasItsOwnMessageId() {
    Set<String> ids = new HashSet<>();
    Arrays.stream(CycleOutcome.values()).forEach(o -> ids.add(o.messageId()));
    assertThat(ids).hasSize(CycleOutcome.values().length).allMatch(id -> id.matches("[0-9a-f]{32}"));
  }
}

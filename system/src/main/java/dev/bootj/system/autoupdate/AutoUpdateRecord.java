package dev.bootj.system.autoupdate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bootj.common.files.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the unattended updates remember between cycles, at /var/lib/bootj/auto-update.json: the
 * last cycle (for {@code bootj status}) and the digests that failed to boot on this machine,
 * which are never staged again. Times are ISO-8601 UTC text.
 *
 * @param lastCycle null before the first cycle
 * @param failedDigests newest last; at most {@link #FAILED_KEPT}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoUpdateRecord(int formatVersion, Cycle lastCycle, List<FailedDigest> failedDigests) {

  /** Path inside the state filesystem (mounted at /var). */
  public static final String PATH_IN_STATE = "lib/bootj/auto-update.json";
  /** Enough to cover every digest a tag could plausibly cycle through; older ones are forgotten. */
  static final int FAILED_KEPT = 32;

  /**
   * One cycle.
   *
   * @param outcome {@link CycleOutcome#id()}
   * @param image the followed reference; null when not known (mode off)
   * @param digest the digest the tag resolved to, if it was resolved
   * @param rebootAt when a staged update will be rebooted into (the window's next opening); null otherwise
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cycle(String startedAt, String finishedAt, String mode, String outcome, String message, String image,
      String digest, String rebootAt) {}

  /** A digest whose boot entry used up its tries on this machine. */
  public record FailedDigest(String digest, String image, String version, String seenAt) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  public static final AutoUpdateRecord NONE = new AutoUpdateRecord(1, null, List.of());

  public AutoUpdateRecord {
    failedDigests = failedDigests == null ? List.of() : List.copyOf(failedDigests);
  }

  /** Reads the record under {@code stateRoot} (the machine's /var); {@link #NONE} when there is none. */
  public static AutoUpdateRecord read(Path stateRoot) throws IOException {
    Path file = stateRoot.resolve(PATH_IN_STATE);
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    try {
      return JSON.readValue(Files.readString(file), AutoUpdateRecord.class);
    } catch (IOException e) {
      // Only a memory of past cycles: a damaged one is started afresh rather than stopping updates.
      return NONE;
    }
  }

  public void write(Path stateRoot) throws IOException {
    AtomicFile.write(stateRoot.resolve(PATH_IN_STATE), JSON.writeValueAsString(this) + "\n");
  }

  public boolean hasFailed(String digest) {
    return failedDigests.stream().anyMatch(f -> f.digest().equals(digest));
  }

  /** This record with {@code failed} remembered (once), the oldest forgotten beyond {@link #FAILED_KEPT}. */
  public AutoUpdateRecord withFailed(FailedDigest failed) {
    if (hasFailed(failed.digest())) {
      return this;
    }
    List<FailedDigest> all = new ArrayList<>(failedDigests);
    all.add(failed);
    return new AutoUpdateRecord(formatVersion, lastCycle, all.subList(Math.max(0, all.size() - FAILED_KEPT), all.size()));
  }

  public AutoUpdateRecord withCycle(Cycle cycle) {
    return new AutoUpdateRecord(formatVersion, cycle, failedDigests);
  }
}

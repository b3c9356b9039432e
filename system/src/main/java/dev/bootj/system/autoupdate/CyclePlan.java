package dev.bootj.system.autoupdate;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * The decisions of one update cycle, made from facts alone so that each rule is tested on its own:
 * {@link #fetch} decides what to do about the image the tag names, {@link #reboot} whether to
 * reboot into what is staged.
 */
public final class CyclePlan {

  private CyclePlan() {}

  /**
   * What the followed tag resolved to.
   *
   * @param pinned the machine follows a digest, not a tag
   * @param latestDigest the tag's digest now; null when pinned
   * @param nextDigest the digest of the slot that boots next (staged or running)
   * @param refusal the signature policy's refusal of the latest image, or null
   * @param failedHere the latest digest already failed to boot on this machine
   */
  public record Facts(boolean pinned, String latestDigest, String nextDigest, String refusal, boolean failedHere) {

    boolean updateAvailable() {
      return !pinned && latestDigest != null && !latestDigest.equals(nextDigest);
    }
  }

  /** What to do with the image the tag names. */
  public enum Fetch {
    /** Nothing: see the outcome and message. */
    NONE,
    /** Only fetch its layers ({@code --download-only}). */
    DOWNLOAD,
    /** Fetch and stage it. */
    STAGE
  }

  /** The fetch decision, and what to record when it is {@link Fetch#NONE}. */
  public record FetchDecision(Fetch fetch, CycleOutcome outcome, String message) {}

  public static FetchDecision fetch(UpdatePolicy.Mode mode, Facts facts, String image) {
    Objects.requireNonNull(mode, "mode");
    if (mode == UpdatePolicy.Mode.OFF) {
      return new FetchDecision(Fetch.NONE, CycleOutcome.SKIPPED, "updates are off (mode = \"off\")");
    }
    if (facts.pinned()) {
      return new FetchDecision(Fetch.NONE, CycleOutcome.SKIPPED, "this machine is pinned to " + image
          + "; 'bootj switch IMAGE:TAG' makes it follow a tag again");
    }
    if (!facts.updateAvailable()) {
      return new FetchDecision(Fetch.NONE, CycleOutcome.CHECKED, "no update: " + image + " still names "
          + facts.latestDigest());
    }
    if (facts.failedHere()) {
      return new FetchDecision(Fetch.NONE, CycleOutcome.SKIPPED_FAILED_DIGEST, image + " names "
          + facts.latestDigest() + ", which failed to boot on this machine; skipped until the tag names another image");
    }
    if (facts.refusal() != null) {
      return new FetchDecision(Fetch.NONE, CycleOutcome.ERROR, facts.refusal());
    }
    return switch (mode) {
      case CHECK -> new FetchDecision(Fetch.NONE, CycleOutcome.CHECKED, "update available: " + image + " names "
          + facts.latestDigest() + " (mode = \"check\": not downloaded)");
      case DOWNLOAD -> new FetchDecision(Fetch.DOWNLOAD, CycleOutcome.DOWNLOADED, null);
      default -> new FetchDecision(Fetch.STAGE, CycleOutcome.STAGED, null);
    };
  }

  /**
   * Whether to reboot into a staged update now.
   *
   * @param staged an update is complete in the other slot and boots next
   * @return null for no reboot at all (not mode apply, nothing staged); {@code now} to reboot now;
   *     else when the window next opens
   */
  public static LocalDateTime reboot(UpdatePolicy policy, boolean staged, LocalDateTime now) {
    if (policy.mode() != UpdatePolicy.Mode.APPLY || !staged) {
      return null;
    }
    return policy.window() == null ? now : policy.window().nextOpening(now);
  }
}

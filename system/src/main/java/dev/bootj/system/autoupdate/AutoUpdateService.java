package dev.bootj.system.autoupdate;

import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.host.Tool;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import dev.bootj.system.status.StatusService;
import dev.bootj.system.update.Reboot;
import dev.bootj.system.update.UpdateLock;
import dev.bootj.system.update.UpdateService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One unattended update cycle on the running machine ({@code bootj auto-update}, run by
 * bootj-update.service from its timer), as far as {@link UpdatePolicy} allows: check the followed
 * tag, download, stage, and reboot inside the maintenance window. The rules are {@link
 * CyclePlan}'s; this class gathers the facts, carries out the decision through {@link
 * UpdateService} and records the outcome ({@link AutoUpdateRecord}, the journal).
 *
 * <p>Safety: every step that writes goes through {@link UpdateService}, under its update lock (a
 * cycle that finds another bootj at work skips); a digest whose boot failed here is remembered and
 * never staged again; a reboot happens only when the staged slot is complete (its boot entry is
 * the last thing an update writes, so an incomplete one is never the default) and inside the
 * window. Outside it, a one-off timer runs the next cycle when the window opens. A failed cycle
 * records the error and leaves the machine as it was.
 */
public final class AutoUpdateService {

  /** The transient timer that runs a cycle when the maintenance window opens. */
  static final String WINDOW_UNIT = "bootj-update-window";
  /** The unit the timer starts; shipped in the distribution archive. */
  static final String SERVICE_UNIT = "bootj-update.service";

  private final UpdateService updates;
  private final Path root;
  private final Path stateRoot;
  private final Clock clock;
  private final Consumer<String> steps;
  private final CommandRunner commands = new CommandRunner();
  private final JournalLog journal;

  /**
   * @param root where update.toml is read under ("/" on the machine)
   * @param stateRoot the machine's /var, where the cycle's record is kept
   */
  public AutoUpdateService(UpdateService updates, Path root, Path stateRoot, Clock clock, Consumer<String> steps) {
    this.updates = updates;
    this.root = root;
    this.stateRoot = stateRoot;
    this.clock = clock;
    this.steps = steps;
    this.journal = new JournalLog(commands, steps);
  }

  /**
   * Runs one cycle and returns its record. A malformed update.toml throws before anything is
   * done or recorded; any other failure is recorded and journaled, then thrown.
   */
  public AutoUpdateRecord.Cycle run() throws IOException {
    Instant started = clock.instant();
    UpdatePolicy policy = UpdatePolicy.load(root);
    AutoUpdateRecord memory = AutoUpdateRecord.read(stateRoot);
    if (policy.mode() == UpdatePolicy.Mode.OFF) {
      return finish(memory, started, policy, CycleOutcome.SKIPPED, "updates are off (mode = \"off\" in "
          + policy.sources().get(policy.sources().size() - 1) + ")", null, null, null);
    }
    String image = null;
    String digest = null;
    try {
      DiskStatus status = new StatusService().bootedStatus();
      memory = rememberFailure(memory, status, started);
      steps.accept("Checking for an update (mode = \"" + policy.mode().id() + "\")");
      UpdateService.Check check = updates.check(null);
      image = check.current().imageReference();
      digest = check.latestDigest() == null ? null : check.latestDigest().toString();
      CyclePlan.Facts facts = new CyclePlan.Facts(check.pinned(), digest, check.current().manifestDigest(),
          check.refusal(), digest != null && memory.hasFailed(digest));
      CyclePlan.FetchDecision decision = CyclePlan.fetch(policy.mode(), facts, image);
      CycleOutcome outcome = decision.outcome();
      String message = decision.message();
      boolean staged = status.staged();
      Set<String> failed = new HashSet<>();
      memory.failedDigests().forEach(f -> failed.add(f.digest()));
      if (decision.fetch() == CyclePlan.Fetch.DOWNLOAD) {
        UpdateService.Outcome done = updates.upgrade(null, new UpdateService.Options(UpdateService.Scope.DOWNLOAD_ONLY, failed));
        message = done.downloadedOnly()
            ? "downloaded " + image + " (" + done.image().manifestDigest() + "); mode = \"download\": not staged"
            : done.unchanged();
      } else if (decision.fetch() == CyclePlan.Fetch.STAGE) {
        UpdateService.Outcome done = updates.upgrade(null, new UpdateService.Options(UpdateService.Scope.STAGE, failed));
        if (done.changed()) {
          staged = true;
          message = "staged " + image + " (" + done.image().manifestDigest() + ") into slot "
              + done.result().slot().id().toUpperCase(Locale.ROOT);
        } else {
          boolean skipped = done.image() != null && failed.contains(done.image().manifestDigest().toString());
          outcome = skipped ? CycleOutcome.SKIPPED_FAILED_DIGEST : CycleOutcome.CHECKED;
          message = done.unchanged();
        }
      }
      LocalDateTime now = LocalDateTime.ofInstant(clock.instant(), zone());
      LocalDateTime rebootAt = CyclePlan.reboot(policy, staged, now);
      if (rebootAt == null) {
        return finish(memory, started, policy, outcome, message, image, digest, null);
      }
      String whatIsStaged = message == null || outcome == CycleOutcome.CHECKED ? "an update is staged" : message;
      if (!rebootAt.isAfter(now)) {
        String why = whatIsStaged + "; rebooting into it" + (policy.window() == null ? "" : " (inside the window " + policy.window() + ")");
        finish(memory, started, policy, CycleOutcome.REBOOTING, why, image, digest, null);
        Reboot.request();
        return AutoUpdateRecord.read(stateRoot).lastCycle();
      }
      String why = whatIsStaged + "; it boots when the window " + policy.window() + " opens, at " + rebootAt;
      scheduleCycleAt(rebootAt);
      return finish(memory, started, policy, CycleOutcome.STAGED, why, image, digest, rebootAt);
    } catch (UpdateLock.Held e) {
      return finish(memory, started, policy, CycleOutcome.SKIPPED, e.getMessage(), image, digest, null);
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      finish(memory, started, policy, CycleOutcome.ERROR, message, image, digest, null);
      throw e;
    }
  }

  /** Remembers the digest of a slot whose boot tries ran out, so no later cycle stages it again. */
  private AutoUpdateRecord rememberFailure(AutoUpdateRecord memory, DiskStatus status, Instant now) throws IOException {
    Slot failedSlot = status.failedSlot();
    DiskStatus.SlotStatus failed = failedSlot == null ? null : status.slots().get(failedSlot);
    if (failed == null || failed.image() == null || memory.hasFailed(failed.image().manifestDigest())) {
      return memory;
    }
    steps.accept("Slot " + failedSlot.id().toUpperCase(Locale.ROOT) + " failed to boot "
        + failed.image().manifestDigest() + "; it will not be staged again");
    AutoUpdateRecord updated = memory.withFailed(new AutoUpdateRecord.FailedDigest(failed.image().manifestDigest(),
        failed.image().imageReference(), failed.image().version(), now.toString()));
    updated.write(stateRoot);
    return updated;
  }

  private AutoUpdateRecord.Cycle finish(AutoUpdateRecord memory, Instant started, UpdatePolicy policy,
      CycleOutcome outcome, String message, String image, String digest, LocalDateTime rebootAt) throws IOException {
    AutoUpdateRecord.Cycle cycle = new AutoUpdateRecord.Cycle(started.toString(), clock.instant().toString(),
        policy.mode().id(), outcome.id(), message, image, digest,
        rebootAt == null ? null : rebootAt.atZone(zone()).toInstant().toString());
    memory.withCycle(cycle).write(stateRoot);
    journal.record(outcome, message, image, digest);
    return cycle;
  }

  private ZoneId zone() {
    return clock.getZone();
  }

  /**
   * Starts bootj-update.service again when the window opens, through a one-off systemd timer
   * (replacing any earlier one): the regular timer may well not fire inside a short window.
   */
  private void scheduleCycleAt(LocalDateTime at) {
    if (!Files.isDirectory(Path.of("/run/systemd/system")) || Tool.SYSTEMD_RUN.locate().isEmpty()) {
      steps.accept("warning: not running under systemd: nothing will start the next cycle when the window opens");
      return;
    }
    try {
      commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), Tool.SYSTEMCTL.program(), "stop",
          WINDOW_UNIT + ".timer"));
    } catch (IOException e) {
      // none was scheduled
    }
    try {
      commands.run(CommandRunner.Command.of(Duration.ofSeconds(30), Tool.SYSTEMD_RUN.program(),
          "--unit=" + WINDOW_UNIT, "--on-calendar=" + at.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")),
          "--timer-property=AccuracySec=1s", Tool.SYSTEMCTL.program(), "start", "--no-block", SERVICE_UNIT));
    } catch (IOException e) {
      steps.accept("warning: the cycle at the window's opening was not scheduled (" + e.getMessage()
          + "); the regular timer will reboot into the update inside the window");
    }
  }
}

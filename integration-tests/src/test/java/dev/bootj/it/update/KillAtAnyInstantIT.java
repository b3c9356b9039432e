package dev.bootj.it.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bootj.common.files.StagingArea;
import dev.bootj.common.files.SubtreeDeleter;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.BootjProcess;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL at any instant of {@code switch --disk}, {@code upgrade --disk} and {@code rollback
 * --disk} leaves a disk that boots, and running the command again finishes the job. After each
 * kill: {@code status --disk} reads cleanly; the entry systemd-boot would start names a slot whose
 * filesystem passes its checker and whose kernel and initramfs on the ESP are that slot's own, byte
 * for byte; then the command runs again to the end, and what the killed run left mounted or
 * attached is gone.
 *
 * <p>Tiny OS versions (a switch takes seconds) with a kernel and initramfs of their own, from a real
 * registry; the disk follows one tag, which the test moves before each switch and upgrade so that
 * there is always work to do. Each command is first run once to the end to measure it; each killed
 * run is then killed after a random delay, uniform in [0, 1.1 × that time]. The seed is printed
 * first; {@code -Dbootj.it.seed=N} replays the delays (where they land depends on the machine's
 * speed of the moment), {@code -Dbootj.it.kills=N} kills N times in all instead of 50 (two thirds
 * on ext4, the rest on xfs). The kill is SIGKILL of bootj's JVM ({@link BootjProcess#kill}):
 * every other kill also kills the programs it had started (mkfs, mcopy), as systemd stopping a
 * unit does; the others leave those to finish, as {@code kill -9 PID} does. The step each kill
 * interrupted (the last progress line) is tabled at the end, to show the spread; the kills must
 * have landed in three steps at least.
 */
class KillAtAnyInstantIT {

  private static final long SEED = Long.getLong("bootj.it.seed", System.nanoTime());
  /** Kills in all (50: about 4 minutes here), two thirds on the ext4 disk, the rest on the xfs one. */
  private static final int KILLS = Integer.getInteger("bootj.it.kills", 50);
  private static final int EXT4_KILLS = KILLS * 2 / 3;
  private static final List<String> VERSIONS = List.of("1", "2", "3");
  /** Large enough for a copy to the ESP to be caught midway now and then, small enough to stay quick. */
  private static final int BOOT_FILE_BYTES = 3 << 20;
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final String VERSION_FILE = "/usr/share/tiny-version";
  private static final Pattern ENTRY = Pattern.compile("bootj-([ab])(?:\\+(\\d+)(?:-(\\d+))?)?\\.conf");

  private static Path classWork;
  private static TestRegistry registry;
  private static final Map<String, String> versionReference = new LinkedHashMap<>();
  private static String track;

  private Path work;
  private TestDisk disk;
  private Bootj bootj;
  private String filesystem;
  private Random random;
  /** The disk's status as the last completed run left it. */
  private JsonNode status;
  private final Map<Command, Duration> measured = new EnumMap<>(Command.class);
  private final List<Kill> kills = new ArrayList<>();
  /** The kills of every test of the class, for the table and the spread check at the end. */
  private static final List<Kill> allKills = Collections.synchronizedList(new ArrayList<>());

  private enum Command {
    SWITCH, UPGRADE, ROLLBACK;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One killed run.
   *
   * @param landed whether bootj still ran when the kill came (else it had ended by itself)
   * @param phase the step its last progress line names
   * @param defaultMoved whether the killed run had already changed the slot that boots next
   */
  private record Kill(Command command, boolean landed, String phase, long afterMillis, double ofMeasured,
      boolean withChildren, boolean defaultMoved, int leftoverLoops, int leftoverMounts) {}

  /** One of bootj's entries on the ESP, as read with mtools. */
  private record EspEntry(String name, String slot, boolean failed, long generation, String text) {
    String field(String key) {
      return text.lines().map(String::strip).filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length()).strip())
          .findFirst().orElse(null);
    }
  }

  @BeforeAll
  static void seed() {
    System.out.println("KillAtAnyInstantIT: seed " + SEED + " (replay with -Dbootj.it.seed=" + SEED + ")");
  }

  @BeforeEach
  void prerequisites() throws Exception {
    assumeTrue(PosixCalls.isRoot(), "updating a disk mounts its partitions: needs root");
    images();
    random = new Random(SEED);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (!allKills.isEmpty()) {
      System.out.print(table("all disks", allKills));
      assertThat(allKills.stream().filter(Kill::landed).map(Kill::phase).distinct().count())
          .as("steps the kills landed in (seed %d)", SEED).isGreaterThanOrEqualTo(3);
    }
    if (registry != null) {
      registry.stop();
    }
    if (classWork != null) {
      SubtreeDeleter.forThisProcess().delete(classWork);
    }
  }

  /** The registry, each version under its own tag, and the tag the disks follow. */
  private static synchronized void images() throws Exception {
    if (registry != null) {
      return;
    }
    classWork = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "kill-at-any-instant-");
    registry = new TestRegistry();
    registry.start();
    for (String version : VERSIONS) {
      Path layout = classWork.resolve("v" + version);
      TinyOs.writeWithOwnKernel(layout, version, Map.of("version.conf", version + "\n"), BOOT_FILE_BYTES);
      versionReference.put(version, Skopeo.push(layout, version, registry, "tiny/os:" + version));
    }
    track = registry.reference("tiny/os:track");
  }

  @Test
  void anExt4DiskKilledAnywhereBootsItsCurrentOrItsNewSlotAndTheNextRunFinishes() throws Exception {
    killAndRerun("ext4", "2G", EXT4_KILLS);
  }

  @Test
  void anXfsDiskToo() throws Exception {
    killAndRerun("xfs", "3G", KILLS - EXT4_KILLS);
  }

  private void killAndRerun(String filesystem, String size, int wantedKills) throws Exception {
    long started = System.nanoTime();
    this.filesystem = filesystem;
    work = Files.createTempDirectory(classWork, filesystem + "-");
    disk = new TestDisk(work.resolve("disk.img"));
    bootj = new Bootj(work.resolve("store"));
    moveTrackTo("1");
    Bootj.Result install = bootj.run("install", "to-disk", "--image", track, "--size", size, "--filesystem",
        filesystem, disk.image().toString());
    assertThat(install.exitCode()).as(install.toString()).isZero();
    // Every version in the store first, so that the measured runs download nothing, as the killed ones.
    for (String version : VERSIONS) {
      Bootj.Result pull = bootj.run("image", "pull", versionReference.get(version));
      assertThat(pull.exitCode()).as(pull.toString()).isZero();
    }
    status = bootj.diskStatus(disk.image());

    for (Command command : Command.values()) {
      measured.put(command, measure(command));
    }
    System.out.printf(Locale.ROOT, "%s: uninterrupted runs took %s%n", filesystem, measured);

    int attempts = 0;
    try {
      while (kills.stream().filter(Kill::landed).count() < wantedKills) {
        assertThat(attempts++).as("runs tried, for %d that bootj did not finish before the kill (seed %d)",
            wantedKills, SEED).isLessThan(2 * wantedKills);
        killOnceAndRerun(Command.values()[attempts % Command.values().length], attempts);
      }
    } finally {
      System.out.print(table(filesystem + " in " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s",
          kills));
      allKills.addAll(kills);
      if (Files.exists(disk.image())) {
        releaseLeftovers();
        Files.delete(disk.image());
      }
    }
    List<Kill> landed = kills.stream().filter(Kill::landed).toList();
    for (Command command : Command.values()) {
      assertThat(landed.stream().filter(k -> k.command() == command).count())
          .as("%s runs killed and then run again to the end (seed %d)", command.word(), SEED)
          .isGreaterThanOrEqualTo(4);
    }
  }

  /**
   * A run of a command with work to do.
   *
   * @param version what a switch or upgrade stages; null for a rollback
   */
  private record Run(List<String> args, String version) {}

  /** A run of {@code command} that has work to do; for a switch or upgrade, moves the tag to another version first. */
  private Run prepare(Command command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command.word(), "--disk", disk.image().toString(), "--progress"));
    String version = null;
    if (command != Command.ROLLBACK) {
      String current = status.get("slots").get(status.get("default").asText()).get("version").asText();
      List<String> others = VERSIONS.stream().filter(v -> !v.equals(current)).toList();
      version = others.get(random.nextInt(others.size()));
      moveTrackTo(version);
    }
    if (command == Command.SWITCH) {
      args.add(track);
    }
    return new Run(List.copyOf(args), version);
  }

  private static void moveTrackTo(String version) throws Exception {
    registry.retag("tiny/os", version, "track");
  }

  /** How long one uninterrupted run of {@code command} takes, JVM start included, as a killed run's does. */
  private Duration measure(Command command) throws Exception {
    Run run = prepare(command);
    long started = System.nanoTime();
    Process process = BootjProcess.start(work.resolve("store"), run.args());
    assertThat(process.info().command()).as("the process is bootj's JVM itself")
        .hasValue(BootjProcess.JAVA.toString());
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    status = bootj.diskStatus(disk.image());
    return took;
  }

  private void killOnceAndRerun(Command command, int attempt) throws Exception {
    Run run = prepare(command);
    String defaultBefore = status.get("default").asText();
    long delay = (long) (random.nextDouble() * 1.1 * measured.get(command).toNanos());
    boolean withChildren = attempt % 2 == 0;

    Process process = BootjProcess.start(work.resolve("store"), run.args());
    long started = System.nanoTime();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> readLines(process, lines), "bootj-output");
    reader.start();
    boolean landed = !process.waitFor(delay, TimeUnit.NANOSECONDS);
    long after = System.nanoTime() - started;
    if (landed) {
      BootjProcess.kill(process, withChildren);
    }
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    reader.join(MINUTE.toMillis());
    String what = String.format(Locale.ROOT, "%s %s killed after %d ms (seed %d, attempt %d), output:%n%s",
        filesystem, command.word(), after / 1_000_000, SEED, attempt, String.join("\n", lines));
    if (!landed) {
      assertThat(process.exitValue()).as(what).isZero();
    }

    List<String> loops = loopsOverDisk();
    List<String> mountPoints = mountPointsOf(loops);
    String defaultAfter = assertBootable(what);
    Kill kill = new Kill(command, landed, landed ? phase(lines) : "(ended before the kill)", after / 1_000_000,
        (double) after / measured.get(command).toNanos(), withChildren, !defaultAfter.equals(defaultBefore),
        loops.size(), mountPoints.size());
    kills.add(kill);
    System.out.printf(Locale.ROOT, "%s kill %d: %s after %d ms (%.2f of a run)%s: %s; boots %s (before: %s);"
        + " left %d loop device(s), %d mount(s)%n", filesystem, attempt, command.word(), kill.afterMillis(),
        kill.ofMeasured(), withChildren ? " with its children" : "", kill.phase(), defaultAfter, defaultBefore,
        loops.size(), mountPoints.size());
    if (!landed) {
      return;
    }

    // The same command again, to the end (in this JVM: quicker, and nothing to kill).
    Bootj.Result again = bootj.run(run.args().stream().filter(a -> !a.equals("--progress")).toArray(String[]::new));
    assertThat(again.exitCode()).as("run again after: %s%n%s", what, again).isZero();
    status = unvalidatedStatus();
    String defaultNow = status.get("default").asText();
    if (command == Command.ROLLBACK) {
      assertThat(defaultNow).as("a rollback swaps the order, after: %s", what).isNotEqualTo(defaultAfter);
    } else {
      assertThat(status.get("slots").get(defaultNow).get("version").asText()).as("what boots next, after: %s", what)
          .isEqualTo(run.version());
    }
    assertThat(loopsOverDisk()).as("loop devices over the disk after the next run, after: %s", what).isEmpty();
    String table = Files.readString(Path.of("/proc/self/mounts"));
    for (String mountPoint : mountPoints) {
      assertThat(table).as("mounts after the next run, after: %s", what).doesNotContain(mountPoint);
      assertThat(Path.of(mountPoint)).as("mount point, after: %s", what).doesNotExist();
    }
    assertThat(stagingTree()).as("the update's staging tree, after: %s", what).doesNotExist();
    disk.check(4, filesystem);
  }

  /**
   * {@code status --disk --json} after a completed run, for the next round: parsed, not validated
   * against its schema again (the validator is a Python process; the status after each kill is).
   */
  private JsonNode unvalidatedStatus() throws IOException {
    Bootj.Result result = bootj.run("status", "--disk", disk.image().toString(), "--json");
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return new ObjectMapper().readTree(result.out()).get("status");
  }

  private static void readLines(Process process, List<String> lines) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException killed) {
      // The pipe closed with the process.
    }
  }

  /** The step of the run that the last progress line printed names. */
  private static String phase(List<String> lines) {
    if (lines.isEmpty()) {
      return "starting: JVM, lock, mounts (*)";
    }
    String last = lines.get(lines.size() - 1).strip();
    if (last.startsWith("Resolving")) {
      return "resolving the image";
    }
    if (last.startsWith("layer ") || last.matches("\\d+ layer\\(s\\).*")) {
      return "pulling and unpacking layers";
    }
    if (last.startsWith("Checking the new image")) {
      return "checking the image";
    }
    if (last.startsWith("Merging /etc")) {
      return "merging /etc";
    }
    if (last.startsWith("Reading the file lists") || last.startsWith("Comparing slot")
        || last.startsWith("Patching slot")) {
      return "patch: comparing, reading changed files";
    }
    if (last.startsWith("Writing slot")) {
      return "writing the slot in full (mkfs)";
    }
    if (last.startsWith("Writing ") && last.contains(" paths into slot")) {
      return "patch: writing into the slot";
    }
    if (last.startsWith("Copying kernel")) {
      return "copying the kernel to the ESP";
    }
    if (last.startsWith("Making slot")) {
      return "writing the boot entry, trimming";
    }
    return "done, printing the result";
  }

  /**
   * The checks after a kill: status reads cleanly; the entry systemd-boot would start (worked out
   * here from the ESP's files, read with mtools) is the one status names; its slot's filesystem
   * passes its checker and holds one whole version; its kernel and initramfs on the ESP are that
   * slot's. Returns that slot.
   */
  private String assertBootable(String what) throws Exception {
    status = bootj.diskStatus(disk.image());
    EspEntry entry = defaultEntryOnEsp();
    assertThat(entry).as("an entry to boot, after: %s", what).isNotNull();
    assertThat(status.get("default").asText()).as("status's default slot, after: %s", what).isEqualTo(entry.slot());
    int partition = entry.slot().equals("a") ? 2 : 3;
    assertThat(entry.field("options")).as("the entry's root, after: %s", what)
        .contains("root=PARTUUID=" + disk.layout().partUuid(partition));
    disk.check(partition, filesystem);
    disk.check(1, "vfat");

    String kernelPath = "/boot/vmlinuz-" + TinyOs.KERNEL;
    String initrdPath = "/boot/initrd.img-" + TinyOs.KERNEL;
    Map<String, byte[]> files = disk.files(partition, filesystem, List.of(VERSION_FILE, kernelPath, initrdPath));
    String version = new String(files.get(VERSION_FILE), StandardCharsets.UTF_8).strip();
    assertThat(status.get("slots").get(entry.slot()).get("version").asText())
        .as("the version status gives the slot, after: %s", what).isEqualTo(version);
    assertThat(files.get(kernelPath)).as("slot %s's kernel is version %s's, after: %s", entry.slot(), version, what)
        .isEqualTo(TinyOs.bootFile(version, "vmlinuz", BOOT_FILE_BYTES));
    assertThat(files.get(initrdPath)).as("slot %s's initramfs is version %s's, after: %s", entry.slot(), version, what)
        .isEqualTo(TinyOs.bootFile(version, "initrd.img", BOOT_FILE_BYTES));
    assertThat(disk.espFile(entry.field("linux"))).as("the kernel the entry names, after: %s", what)
        .isEqualTo(files.get(kernelPath));
    assertThat(disk.espFile(entry.field("initrd"))).as("the initramfs the entry names, after: %s", what)
        .isEqualTo(files.get(initrdPath));
    return entry.slot();
  }

  /**
   * The entry systemd-boot starts with loader.conf's {@code default bootj-*}: among bootj's
   * entries, those whose boot counter ran out ({@code +0}) last, then the highest version (bootj
   * writes a generation first in it).
   */
  private EspEntry defaultEntryOnEsp() throws Exception {
    List<EspEntry> entries = new ArrayList<>();
    for (String line : disk.mdir("::/loader/entries").lines().toList()) {
      String name = line.strip().substring(line.strip().lastIndexOf('/') + 1);
      Matcher matcher = ENTRY.matcher(name);
      if (!matcher.matches()) {
        continue;
      }
      String text = disk.mtype("::/loader/entries/" + name);
      long generation = text.lines().map(String::strip).filter(l -> l.startsWith("version "))
          .map(l -> Long.parseLong(l.substring("version ".length()).split("-", 2)[0])).findFirst().orElse(0L);
      boolean failed = matcher.group(2) != null && Integer.parseInt(matcher.group(2)) == 0;
      entries.add(new EspEntry(name, matcher.group(1), failed, generation, text));
    }
    return entries.stream().min(Comparator.comparing(EspEntry::failed)
        .thenComparing(Comparator.comparingLong(EspEntry::generation).reversed())).orElse(null);
  }

  /**
   * What a killed run left (mounts, loop devices, its staging tree) when the test stops before the
   * next run removed it: nothing of this disk may stay on the host after the test.
   */
  private void releaseLeftovers() {
    try {
      List<String> loops = loopsOverDisk();
      for (String mountPoint : mountPointsOf(loops)) {
        Host.run("umount", mountPoint);
        Files.deleteIfExists(Path.of(mountPoint));
      }
      for (String loop : loops) {
        Host.run("losetup", "--detach", loop);
      }
      SubtreeDeleter.forThisProcess().delete(stagingTree());
    } catch (Exception e) {
      // Never hides the failure that stopped the test; said, for whoever finds the leftovers.
      System.out.println("KillAtAnyInstantIT: could not release what the last killed run left: " + e);
    }
  }

  /** The directory an update of this disk stages its image in. */
  private Path stagingTree() throws IOException {
    return StagingArea.pathFor(StagingArea.defaultParent(), "update", disk.image().toRealPath().toString());
  }

  private List<String> loopsOverDisk() {
    return HostCommand.run(MINUTE, List.of("losetup", "-j", disk.image().toString())).lines()
        .filter(l -> l.contains(":")).map(l -> l.substring(0, l.indexOf(':')).strip()).toList();
  }

  private static List<String> mountPointsOf(List<String> devices) throws IOException {
    List<String> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] fields = line.split(" ");
      if (fields.length >= 2 && devices.contains(fields[0])) {
        points.add(fields[1]);
      }
    }
    return points;
  }

  /** Where {@code kills} landed, per command and step, and what they left. */
  private static String table(String title, List<Kill> kills) {
    Map<String, Map<Command, Integer>> byPhase = new TreeMap<>();
    for (Kill kill : kills) {
      byPhase.computeIfAbsent(kill.phase(), p -> new EnumMap<>(Command.class)).merge(kill.command(), 1, Integer::sum);
    }
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%nKills on %s: %d (seed %d)%n%-36s %7s %8s %9s%n",
        title, kills.stream().filter(Kill::landed).count(), SEED, "step interrupted", "switch", "upgrade", "rollback"));
    byPhase.forEach((phase, counts) -> table.append(String.format(Locale.ROOT, "%-36s %7d %8d %9d%n", phase,
        counts.getOrDefault(Command.SWITCH, 0), counts.getOrDefault(Command.UPGRADE, 0),
        counts.getOrDefault(Command.ROLLBACK, 0))));
    table.append(String.format(Locale.ROOT, "killed after the next boot had changed: %d; killed with their children:"
        + " %d; leaving loop devices: %d, mounts: %d%n",
        kills.stream().filter(k -> k.landed() && k.defaultMoved()).count(),
        kills.stream().filter(k -> k.landed() && k.withChildren()).count(),
        kills.stream().filter(k -> k.leftoverLoops() > 0).count(),
        kills.stream().filter(k -> k.leftoverMounts() > 0).count()));
    table.append("(*) rollback prints nothing until it is done: all of its work falls in this row\n");
    return table.toString();
  }
}

package dev.bootj.it.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bootj.common.files.StagingArea;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.BootjProcess;
import dev.bootj.it.support.CheckedJson;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code switch}, {@code upgrade}, {@code rollback} and {@code reset} with {@code --disk}, on a disk image that is
 * not running, from a real registry: the /etc merge, kernel arguments, /var kept, only missing
 * layers downloaded, a conflict refused with nothing changed, a kill -9 in the middle of a switch,
 * and a second bootj refused while one runs.
 *
 * <p>Each test runs alone and in any order: it gets its own copy of a disk (and of the store that
 * came with it) in one of two states made once per class, on first use: {@link #installed} (v1
 * installed, then lived in: /etc edited, /var data) and {@link #switched} (that disk after
 * {@code switch} to v2, as the first test does it). Tags other tests rely on never move: the
 * test that moves a tag pushes its own.
 */
class OfflineSwitchIT {

  // Shared by the class, made on first use (see images(), installed(), switched()).
  private static Path classWork;
  private static TestRegistry registry;
  private static String tiny1;
  private static String tiny2;
  private static String tiny2b;
  private static Path installedTemplate;
  private static Path switchedTemplate;
  private static Path installedXfsTemplate;

  // This test's own disk and store.
  private Path work;
  private Path disk;
  private TestDisk testDisk;
  private Bootj bootj;

  @BeforeEach
  void prerequisites() throws Exception {
    // Here rather than in @BeforeAll: a class skipped as a whole is reported without its reason.
    assumeTrue(PosixCalls.isRoot(), "updating a disk mounts its partitions: needs root");
    images();
    work = Files.createTempDirectory(classWork, "test-");
  }

  @AfterEach
  void deleteDisk() throws IOException {
    if (disk != null) {
      Files.deleteIfExists(disk);
    }
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (registry != null) {
      registry.stop();
    }
    for (Path template : new Path[] {installedTemplate, switchedTemplate, installedXfsTemplate}) {
      if (template != null) {
        Files.deleteIfExists(template.resolve("disk.img"));
      }
    }
  }

  /** The registry and the images every test may use: v1, v2 and a 2b, each under its own tag. */
  private static synchronized void images() throws Exception {
    if (registry != null) {
      return;
    }
    classWork = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "offline-switch-");
    registry = new TestRegistry();
    registry.start();
    TinyOs.write(classWork.resolve("v1"), "1", Map.of("keep.conf", "image default 1\n"));
    tiny1 = Skopeo.push(classWork.resolve("v1"), "1", registry, "tiny/os:1");
    Map<String, String> v2etc = new LinkedHashMap<>();
    v2etc.put("keep.conf", "image default 2\n");
    v2etc.put("new-in-2.conf", "new default\n");
    TinyOs.write(classWork.resolve("v2"), "2", v2etc);
    tiny2 = Skopeo.push(classWork.resolve("v2"), "2", registry, "tiny/os:2");
    TinyOs.write(classWork.resolve("v2b"), "2b", Map.of("keep.conf", "image default 2b\n"));
    tiny2b = Skopeo.push(classWork.resolve("v2b"), "2b", registry, "tiny/os:2b");
  }

  /**
   * v1 installed (with {@code --karg quiet}) and then lived in on slot A: one /etc file edited,
   * one added, one deleted; data under /var. The store holds v1's layers, as a machine's would.
   */
  private static synchronized Path installed() throws Exception {
    if (installedTemplate == null) {
      installedTemplate = livedIn(classWork.resolve("installed"), "2G");
    }
    return installedTemplate;
  }

  /** As {@link #installed}, on a disk installed with {@code --filesystem xfs} (3G: an xfs slot is at least 300 MiB). */
  private static synchronized Path installedXfs() throws Exception {
    if (installedXfsTemplate == null) {
      installedXfsTemplate = livedIn(classWork.resolve("installed-xfs"), "3G", "--filesystem", "xfs");
    }
    return installedXfsTemplate;
  }

  /** {@code template}/disk.img: v1 installed with {@code installOptions} and lived in, as {@link #installed} says. */
  private static Path livedIn(Path template, String size, String... installOptions) throws Exception {
    Path disk = template.resolve("disk.img");
    Files.createDirectories(template);
    List<String> argv = new ArrayList<>(List.of("install", "to-disk", "--image", tiny1, "--size", size,
        "--karg", "quiet"));
    argv.addAll(List.of(installOptions));
    argv.add(disk.toString());
    Bootj.Result install = new Bootj(template.resolve("store")).run(argv.toArray(String[]::new));
    assertThat(install.exitCode()).as(install.toString()).isZero();
    Layout layout = Layout.read(disk);
    try (Mounted slotA = Mounted.partition(disk, layout.offset(2), layout.size(2))) {
      Files.writeString(slotA.path().resolve("etc/hostname"), "edited-by-user\n");
      Files.writeString(slotA.path().resolve("etc/added-by-user.conf"), "mine\n");
      Files.delete(slotA.path().resolve("etc/deleted-by-user.conf"));
    }
    try (Mounted state = Mounted.partition(disk, layout.offset(4), layout.size(4))) {
      Files.writeString(state.path().resolve("lib/user-data"), "keep me\n");
    }
    return template;
  }

  /** {@link #installed} after {@code switch} to v2: slot B holds v2 and boots next, A is the rollback. */
  private static synchronized Path switched() throws Exception {
    if (switchedTemplate == null) {
      Path template = classWork.resolve("switched");
      copyDiskAndStore(installed(), template);
      Bootj.Result result = new Bootj(template.resolve("store"))
          .run("switch", "--disk", template.resolve("disk.img").toString(), tiny2);
      assertThat(result.exitCode()).as(result.toString()).isZero();
      switchedTemplate = template;
    }
    return switchedTemplate;
  }

  /** Makes this test's disk and store a copy of {@code template}'s. */
  private void startFrom(Path template) throws Exception {
    copyDiskAndStore(template, work);
    disk = work.resolve("disk.img");
    testDisk = new TestDisk(disk);
    bootj = new Bootj(work.resolve("store"));
  }

  private static void copyDiskAndStore(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    // The disk is a sparse file of 2 or 3G with a few MB written: copy it as sparse, never in full.
    Host.run("cp", "--sparse=always", from.resolve("disk.img").toString(), to.resolve("disk.img").toString());
    Host.run("cp", "-a", "--reflink=auto", from.resolve("store").toString(), to.resolve("store").toString());
  }

  @Test
  void switchStagesVersionTwoIntoSlotBMergingEtcAndKeepingVar() throws Exception {
    startFrom(installed());
    Bootj.Result result = bootj.run("switch", "--disk", disk.toString(), "--json", tiny2);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    JsonNode staged = CheckedJson.parse("update-v1", result.out());
    assertThat(staged.get("changed").asBoolean()).isTrue();
    assertThat(staged.get("slot").asText()).isEqualTo("b");
    assertThat(staged.get("bootEntry").asText()).isEqualTo("bootj-b+3.conf");
    assertThat(staged.get("keptLocalEtcChanges").asInt()).as("edited, added, deleted").isEqualTo(3);
    // The base layer came with version 1: only version 2's top layer was downloaded.
    assertThat(staged.get("layersDownloaded").asInt()).isEqualTo(1);
    assertThat(staged.get("downloadedBytes").asLong()).isLessThan(2048);
    // The new image's kargs.d instead of the old one's; the user's --karg kept.
    assertThat(staged.get("kernelOptions").asText()).endsWith(" rw console=ttyS0 tiny.version=2 quiet");

    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("b");
    assertThat(status.get("rollback").asText()).isEqualTo("a");
    JsonNode b = status.get("slots").get("b");
    assertThat(b.get("image").asText()).isEqualTo(tiny2);
    assertThat(b.get("version").asText()).isEqualTo("2");
    assertThat(b.get("bootCounter").get("state").asText()).isEqualTo("trying");
    assertThat(b.get("bootCounter").get("triesLeft").asInt()).isEqualTo(3);
    assertThat(status.get("slots").get("a").get("bootCounter").get("state").asText()).isEqualTo("good");

    Layout layout = Layout.read(disk);
    assertThat(testDisk.debugfs(3, "cat /usr/share/tiny-version")).isEqualTo("2\n");
    assertThat(testDisk.debugfs(3, "cat /etc/hostname")).isEqualTo("edited-by-user\n");
    assertThat(testDisk.debugfs(3, "cat /etc/added-by-user.conf")).isEqualTo("mine\n");
    assertThat(testDisk.debugfs(3, "cat /etc/deleted-by-user.conf")).isEmpty();
    assertThat(testDisk.debugfs(3, "cat /etc/keep.conf")).isEqualTo("image default 2\n");
    assertThat(testDisk.debugfs(3, "cat /etc/new-in-2.conf")).isEqualTo("new default\n");
    assertThat(testDisk.debugfs(3, "cat /usr/etc/hostname")).isEqualTo("tiny\n");
    assertThat(testDisk.debugfs(3, "cat /etc/fstab")).contains("PARTUUID=" + layout.partUuid(3) + " / ext4")
        .doesNotContain(layout.partUuid(2).toString());
    assertThat(testDisk.debugfs(3, "ls /var")).doesNotContain("lib");
    assertThat(testDisk.debugfs(4, "cat /lib/user-data")).isEqualTo("keep me\n");
    assertThat(testDisk.debugfs(4, "cat /lib/seeded")).isEqualTo("from the image\n");
    // The current slot is untouched.
    assertThat(testDisk.debugfs(2, "cat /usr/share/tiny-version")).isEqualTo("1\n");
    assertThat(testDisk.mtype("::/loader/entries/bootj-a.conf")).contains("tiny.version=1");
  }

  @Test
  void aSlotPatchedInPlaceIsTheTreeAFullWriteGives() throws Exception {
    // Slot A holds v1, whose record and layers the store has: switching to 2b patches A in place.
    startFrom(switched());
    Bootj.Result patched = bootj.run("switch", "--disk", disk.toString(), "--json", "--progress", tiny2b);
    assertThat(patched.exitCode()).as(patched.toString()).isZero();
    JsonNode patchedReport = CheckedJson.parse("update-v1", patched.out());
    assertThat(patchedReport.get("slot").asText()).isEqualTo("a");
    assertThat(patchedReport.get("slotWrite").asText()).as(patched.err()).isEqualTo("patch");
    assertThat(patched.err()).contains("Patching slot A in place");

    // The same switch from a store that has no record of v1: slot A is written in full.
    Path fullWork = work.resolve("full");
    copyDiskAndStore(switched(), fullWork);
    Path fullDisk = fullWork.resolve("disk.img");
    Bootj fullBootj = new Bootj(fullWork.resolve("store"));
    Bootj.Result forget = fullBootj.run("image", "rm", tiny1);
    assertThat(forget.exitCode()).as(forget.toString()).isZero();
    Bootj.Result full = fullBootj.run("switch", "--disk", fullDisk.toString(), "--json", "--progress", tiny2b);
    assertThat(full.exitCode()).as(full.toString()).isZero();
    JsonNode fullReport = CheckedJson.parse("update-v1", full.out());
    assertThat(fullReport.get("slotWrite").asText()).isEqualTo("full");
    assertThat(full.err()).contains("in full: the store");
    assertThat(patchedReport.get("slotFileBytes").asLong()).isLessThan(fullReport.get("slotFileBytes").asLong());
    assertThat(patchedReport.get("kernelOptions").asText().replace(Layout.read(disk).partUuid(2).toString(), "A"))
        .isEqualTo(fullReport.get("kernelOptions").asText().replace(Layout.read(fullDisk).partUuid(2).toString(), "A"));

    Layout layout = Layout.read(disk);
    TreeSnapshot patchedTree;
    TreeSnapshot fullTree;
    try (Mounted a = Mounted.partition(disk, layout.offset(2), layout.size(2))) {
      patchedTree = TreeSnapshot.capture(a.path());
    }
    try (Mounted a = Mounted.partition(fullDisk, layout.offset(2), layout.size(2))) {
      fullTree = TreeSnapshot.capture(a.path());
    }
    // Times that say when bootj wrote something, in either way: the merged /etc, bootj's
    // additions, the /var mount point and lost+found (made by mkfs).
    Set<String> madeNow = Set.of("etc", "usr/lib/systemd/system", "usr/lib/systemd/system/local-fs.target.wants",
        "efi", "var", "lost+found", "usr", "usr/lib", "usr/lib/systemd");
    List<String> differences = patchedTree.diff(fullTree, path -> !madeNow.contains(path) && !path.startsWith("etc/")
        && !path.endsWith("/bootj-readonly-usr.service"));
    assertThat(differences).as("slot A patched vs written in full").isEmpty();
    assertThat(patchedTree.node("usr/share/tiny-version")).isNotNull();
    assertThat(testDisk.debugfs(2, "cat /usr/share/tiny-version")).isEqualTo("2b\n");
    assertThat(testDisk.debugfs(2, "cat /etc/keep.conf")).isEqualTo("image default 2b\n");
  }

  @Test
  void downloadOnlyStagesNothingAndFromDownloadedStagesItWithTheRegistryBlocked() throws Exception {
    startFrom(installed());
    Bootj.Result early = bootj.run("switch", "--disk", disk.toString(), "--from-downloaded", tiny2);
    assertThat(early.exitCode()).as(early.toString()).isNotZero();
    assertThat(early.err()).contains("nothing was downloaded for disk").contains("--download-only");

    Bootj.Result fetched = bootj.run("switch", "--disk", disk.toString(), "--download-only", "--json", tiny2);
    assertThat(fetched.exitCode()).as(fetched.toString()).isZero();
    JsonNode downloaded = CheckedJson.parse("update-v1", fetched.out());
    assertThat(downloaded.get("changed").asBoolean()).isFalse();
    assertThat(downloaded.get("downloaded").asBoolean()).isTrue();
    assertThat(downloaded.get("layersDownloaded").asInt()).isEqualTo(1);
    assertThat(bootj.diskStatus(disk).get("default").asText()).isEqualTo("a");
    assertThat(bootj.diskStatus(disk).get("slots").get("b").get("empty").asBoolean()).isTrue();
    assertThat(testDisk.debugfs(4, "cat /lib/bootj/state.json")).contains("\"downloaded\"").contains(tiny2);

    // Any request to the registry would now be refused: staging must need none.
    Path blocked = Files.writeString(work.resolve("registries.conf"),
        "[[registry]]\nlocation = \"" + registry.hostAndPort() + "\"\nblocked = true\n");
    Bootj.Result refused = bootj.run("switch", "--disk", disk.toString(), "--registries-conf", blocked.toString(), tiny2);
    assertThat(refused.exitCode()).as("the block works: " + refused).isNotZero();
    assertThat(refused.err()).contains("blocked");
    Bootj.Result staged = bootj.run("switch", "--disk", disk.toString(), "--registries-conf", blocked.toString(),
        "--from-downloaded", "--json", tiny2);
    assertThat(staged.exitCode()).as(staged.toString()).isZero();
    JsonNode result = CheckedJson.parse("update-v1", staged.out());
    assertThat(result.get("changed").asBoolean()).isTrue();
    assertThat(result.get("layersDownloaded").asInt()).isZero();
    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("b");
    assertThat(status.get("slots").get("b").get("image").asText()).isEqualTo(tiny2);
    assertThat(testDisk.debugfs(3, "cat /usr/share/tiny-version")).isEqualTo("2\n");
    assertThat(testDisk.debugfs(4, "cat /lib/bootj/state.json")).as("the download is staged, no longer pending")
        .doesNotContain("\"downloaded\"");
  }

  @Test
  void switchingToWhatBootsNextDoesNothing() throws Exception {
    startFrom(switched());
    // What a switch killed after its boot entry was written leaves: its staging tree.
    Path leftover = StagingArea.pathFor(StagingArea.defaultParent(), "update", disk.toRealPath().toString());
    Files.createDirectories(leftover.resolve("root/usr"));
    Bootj.Result again = bootj.run("switch", "--disk", disk.toString(), tiny2);
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out()).startsWith("Nothing to do: slot b already holds sha256:");
    assertThat(leftover).as("the tree the killed run left, removed by a run with nothing to do").doesNotExist();
  }

  @Test
  void resetWritesTheRunningImageAgainWithItsOwnEtcFromTheDisksStoreAlone() throws Exception {
    startFrom(installed());
    // No request may reach the registry: a reset needs none.
    Path blocked = Files.writeString(work.resolve("registries.conf"),
        "[[registry]]\nlocation = \"" + registry.hostAndPort() + "\"\nblocked = true\n");
    // Not the host's store: only the disk's own (install copied the image into it) holds v1.
    Bootj emptyStore = new Bootj(work.resolve("empty-store"));
    Bootj.Result reset = emptyStore.run("reset", "--disk", disk.toString(), "--registries-conf", blocked.toString(),
        "--json");
    assertThat(reset.exitCode()).as(reset.toString()).isZero();
    JsonNode report = CheckedJson.parse("reset-v1", reset.out());
    assertThat(report.get("slot").asText()).isEqualTo("b");
    assertThat(report.get("rollbackSlot").asText()).isEqualTo("a");
    assertThat(report.get("reference").asText()).isEqualTo(tiny1);
    assertThat(report.get("wipeVar").asBoolean()).isFalse();

    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("b");
    assertThat(status.get("rollback").asText()).isEqualTo("a");
    JsonNode a = status.get("slots").get("a");
    JsonNode b = status.get("slots").get("b");
    assertThat(b.get("image").asText()).as("upgrade keeps following the same reference").isEqualTo(tiny1);
    assertThat(b.get("digest").asText()).isEqualTo(a.get("digest").asText());
    assertThat(b.get("bootCounter").get("state").asText()).isEqualTo("trying");
    // The image's /etc as shipped: the edit, the addition and the deletion are gone; a new identity.
    assertThat(testDisk.debugfs(3, "cat /etc/hostname")).isEqualTo("tiny\n");
    assertThat(testDisk.debugfs(3, "cat /etc/added-by-user.conf")).isEmpty();
    assertThat(testDisk.debugfs(3, "cat /etc/deleted-by-user.conf")).isEqualTo("the user deletes this\n");
    assertThat(testDisk.debugfs(3, "stat /etc/machine-id")).contains("Type: regular").contains("Size: 0");
    assertThat(testDisk.debugfs(3, "cat /etc/fstab")).contains("PARTUUID=" + Layout.read(disk).partUuid(3) + " / ext4");
    // The user's kernel argument stays; /var and the rollback slot are untouched.
    assertThat(testDisk.mtype("::/loader/entries/bootj-b+3.conf")).contains(" quiet");
    assertThat(testDisk.debugfs(4, "cat /lib/user-data")).isEqualTo("keep me\n");
    assertThat(testDisk.debugfs(3, "ls /")).doesNotContain(".bootj-reset");
    assertThat(testDisk.debugfs(2, "cat /etc/hostname")).isEqualTo("edited-by-user\n");

    // Rollback returns to the slot with the machine's /etc.
    Bootj.Result back = bootj.run("rollback", "--disk", disk.toString());
    assertThat(back.exitCode()).as(back.toString()).isZero();
    assertThat(bootj.diskStatus(disk).get("default").asText()).isEqualTo("a");
  }

  @Test
  void resetWipingVarNeedsAcknowledgingAndTheImagesMkfs() throws Exception {
    startFrom(installed());
    Bootj.Result unacknowledged = bootj.run("reset", "--disk", disk.toString(), "--wipe-var");
    assertThat(unacknowledged.exitCode()).as(unacknowledged.toString()).isEqualTo(2);
    assertThat(unacknowledged.err().strip()).as("one line").doesNotContain("\n")
        .contains("--wipe-var erases everything").contains("--acknowledge-destructive");

    // The tiny image has no mkfs.ext4 to make /var again at its boot: refused before any write.
    Bootj.Result refused = bootj.run("reset", "--disk", disk.toString(), "--wipe-var", "--acknowledge-destructive");
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("has no mkfs.ext4").contains("nothing was changed");
    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("a");
    assertThat(status.get("slots").get("b").get("empty").asBoolean()).isTrue();
  }

  @Test
  void rollbackSwapsTheOrderAndBackAgain() throws Exception {
    startFrom(switched());
    Bootj.Result back = bootj.run("rollback", "--disk", disk.toString(), "--json");
    assertThat(back.exitCode()).as(back.toString()).isZero();
    assertThat(CheckedJson.parse("rollback-v1", back.out()).get("to").asText()).isEqualTo("a");
    assertThat(bootj.diskStatus(disk).get("default").asText()).isEqualTo("a");
    Bootj.Result forth = bootj.run("rollback", "--disk", disk.toString());
    assertThat(forth.exitCode()).as(forth.toString()).isZero();
    assertThat(bootj.diskStatus(disk).get("default").asText()).isEqualTo("b");
  }

  @Test
  void upgradeCheckSeesANewDigestOfTheTagAndWhatItWouldDownload() throws Exception {
    // The disk follows a tag of this test's own, since the test moves it: v2 first, as switched() stages it.
    startFrom(installed());
    String track = Skopeo.push(classWork.resolve("v2"), "2", registry, "tiny/os:track-" + work.getFileName());
    Bootj.Result toTrack = bootj.run("switch", "--disk", disk.toString(), track);
    assertThat(toTrack.exitCode()).as(toTrack.toString()).isZero();

    Bootj.Result none = bootj.run("upgrade", "--check", "--disk", disk.toString(), "--json");
    assertThat(none.exitCode()).as(none.toString()).isZero();
    assertThat(CheckedJson.parse("upgrade-check-v1", none.out()).get("updateAvailable").asBoolean()).isFalse();

    Skopeo.copy("oci:" + classWork.resolve("v2b") + ":2b", "docker://" + track);
    Bootj.Result check = bootj.run("upgrade", "--check", "--disk", disk.toString(), "--json");
    assertThat(check.exitCode()).as(check.toString()).isZero();
    JsonNode node = CheckedJson.parse("upgrade-check-v1", check.out());
    assertThat(node.get("updateAvailable").asBoolean()).isTrue();
    // Under the disk's own policy (its image ships insecureAcceptAnything), read from its mounted slot.
    assertThat(node.get("accepted").asBoolean()).isTrue();
    assertThat(node.get("signature").get("scope").asText()).isEqualTo("default");
    assertThat(node.get("refusal").isNull()).isTrue();
    assertThat(node.get("latestVersion").asText()).isEqualTo("2b");
    assertThat(node.get("layersToDownload")).hasSize(1);
    assertThat(bootj.diskStatus(disk).get("default").asText()).as("--check changes nothing").isEqualTo("b");

    Bootj.Result upgrade = bootj.run("upgrade", "--disk", disk.toString(), "--json");
    assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
    assertThat(CheckedJson.parse("update-v1", upgrade.out()).get("slot").asText()).isEqualTo("a");
    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("a");
    assertThat(status.get("slots").get("a").get("version").asText()).isEqualTo("2b");
    // Merged from slot B's /etc, which carried the user's changes over from the switch to the tag.
    assertThat(testDisk.debugfs(2, "cat /etc/hostname")).isEqualTo("edited-by-user\n");
    assertThat(testDisk.debugfs(2, "cat /etc/keep.conf")).isEqualTo("image default 2b\n");
  }

  @Test
  void aConflictInEtcRefusesTheSwitchBeforeAnythingIsWritten() throws Exception {
    // Slot A boots next: the conflict is between its /etc and v3's.
    startFrom(installed());
    Layout layout = Layout.read(disk);
    try (Mounted slotA = Mounted.partition(disk, layout.offset(2), layout.size(2))) {
      Files.writeString(slotA.path().resolve("etc/conflict.d"), "a file of the user's\n");
    }
    Map<String, String> etc = new LinkedHashMap<>();
    etc.put("conflict.d", null);
    etc.put("conflict.d/default.conf", "the image's\n");
    TinyOs.write(work.resolve("v3"), "3", etc);
    String tiny3 = Skopeo.push(work.resolve("v3"), "3", registry, "tiny/os:3-" + work.getFileName());
    String before = bootj.diskStatus(disk).toString();
    String entriesBefore = testDisk.mdir("::/loader/entries");

    Bootj.Result refused = bootj.run("switch", "--disk", disk.toString(), tiny3);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("conflict").contains("/etc/conflict.d").doesNotContain("\tat ");
    assertThat(bootj.diskStatus(disk).toString()).isEqualTo(before);
    assertThat(testDisk.mdir("::/loader/entries")).isEqualTo(entriesBefore);
  }

  @Test
  void theDisksOwnSignaturePolicyDecidesUnlessOneIsGiven() throws Exception {
    // The machine's owner made its policy reject everything from the test registry: a local /etc edit.
    startFrom(installed());
    Layout layout = Layout.read(disk);
    try (Mounted slotA = Mounted.partition(disk, layout.offset(2), layout.size(2))) {
      Files.writeString(slotA.path().resolve("etc/containers/policy.json"), "{\"default\": [{\"type\": \"reject\"}]}\n");
    }
    String before = bootj.diskStatus(disk).toString();
    String entriesBefore = testDisk.mdir("::/loader/entries");

    // The host's own policy (insecureAcceptAnything here) plays no part.
    Bootj.Result refused = bootj.run("switch", "--disk", disk.toString(), tiny2);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err().strip()).contains(tiny2).contains("rejects every image").contains("default")
        .doesNotContain("\tat ").hasLineCount(1);
    assertThat(bootj.diskStatus(disk).toString()).isEqualTo(before);
    assertThat(testDisk.mdir("::/loader/entries")).isEqualTo(entriesBefore);

    // Given on the command line, a policy wins over the machine's own.
    Path accept = Files.writeString(work.resolve("accept.json"), TinyOs.ACCEPT_ANYTHING);
    Bootj.Result accepted = bootj.run("switch", "--disk", disk.toString(), "--signature-policy", accept.toString(),
        "--json", tiny2);
    assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
    JsonNode slotB = bootj.diskStatus(disk).get("slots").get("b");
    assertThat(slotB.get("version").asText()).isEqualTo("2");
    assertThat(slotB.get("signature").get("requirements").get(0).get("type").asText()).isEqualTo("insecureAcceptAnything");
  }

  @Test
  void upgradeCheckReportsTheDisksOwnRefusalAndStoresNothingOfTheRefusedImage() throws Exception {
    // The disk follows a tag of this test's own (it moves it), v2 first, staged into slot B.
    startFrom(installed());
    String track = Skopeo.push(classWork.resolve("v2"), "2", registry, "tiny/os:guarded-" + work.getFileName());
    Bootj.Result toTrack = bootj.run("switch", "--disk", disk.toString(), track);
    assertThat(toTrack.exitCode()).as(toTrack.toString()).isZero();
    // Slot B boots next: its owner made its policy reject everything, a local /etc edit.
    Layout layout = Layout.read(disk);
    try (Mounted slotB = Mounted.partition(disk, layout.offset(3), layout.size(3))) {
      Files.writeString(slotB.path().resolve("etc/containers/policy.json"), "{\"default\": [{\"type\": \"reject\"}]}\n");
    }
    // A version no store has seen: its config and its top layer are new blobs.
    Path guarded = work.resolve("v5");
    TinyOs.write(guarded, "5", Map.of("keep.conf", "image default 5 of " + work.getFileName() + "\n"));
    Skopeo.push(guarded, "5", registry, "tiny/os:guarded-" + work.getFileName());
    Set<String> storedBefore = blobs(work.resolve("store"));
    Set<String> newBlobs = new java.util.HashSet<>(blobs(guarded));
    newBlobs.removeAll(storedBefore);
    assertThat(newBlobs).as("v5's manifest, config and top layer").hasSize(3);

    // The host's own policy (insecureAcceptAnything here) plays no part.
    Bootj.Result check = bootj.run("upgrade", "--check", "--disk", disk.toString(), "--json");
    assertThat(check.exitCode()).as(check.toString()).isZero();
    JsonNode node = CheckedJson.parse("upgrade-check-v1", check.out());
    assertThat(node.get("latestDigest").asText()).isEqualTo(manifestDigest(guarded));
    assertThat(node.get("updateAvailable").asBoolean()).isTrue();
    assertThat(node.get("accepted").asBoolean()).isFalse();
    assertThat(node.get("signature").isNull()).isTrue();
    assertThat(node.get("refusal").asText()).contains(track).contains("rejects every image");
    assertThat(node.get("latestVersion").isNull()).as("the refused config is not read").isTrue();
    assertThat(node.get("layersToDownload")).isEmpty();
    assertThat(blobs(work.resolve("store"))).as("nothing of the refused image is stored").isEqualTo(storedBefore)
        .doesNotContainAnyElementsOf(newBlobs);
  }

  /** The blob digests (hex) an OCI layout or a bootj store holds. */
  private static Set<String> blobs(Path layoutOrStore) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(layoutOrStore.resolve("blobs/sha256"))) {
      return files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  /** The digest of the one manifest the OCI layout {@code layout} holds. */
  private static String manifestDigest(Path layout) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(layout.resolve("index.json").toFile())
        .get("manifests").get(0).get("digest").asText();
  }

  @Test
  void theMachinesOwnStoreKeepsOnlyTheImagesOfItsSlots() throws Exception {
    // Installed with v1 (its layers seeded into the disk's store), switched to v2 in slot B; now
    // v2b goes into slot A, so v1 is in neither slot and its record and layers must go.
    startFrom(switched());
    assertThat(machineStoreRecords()).containsExactly(tiny1);
    Bootj.Result toA = bootj.run("switch", "--disk", disk.toString(), tiny2b);
    assertThat(toA.exitCode()).as(toA.toString()).isZero();
    assertThat(machineStoreRecords()).as("v1 is in neither slot").isEmpty();
    Layout layout = Layout.read(disk);
    try (Mounted state = Mounted.partition(disk, layout.offset(4), layout.size(4));
        java.util.stream.Stream<Path> blobs = Files.list(state.path().resolve("lib/bootj/store/blobs/sha256"))) {
      assertThat(blobs).as("no blob of v1 is left").isEmpty();
    }
  }

  /** The references recorded in the disk's own image store (/var/lib/bootj/store on the machine). */
  private List<String> machineStoreRecords() throws Exception {
    Layout layout = Layout.read(disk);
    try (Mounted state = Mounted.partition(disk, layout.offset(4), layout.size(4))) {
      List<String> references = new ArrayList<>();
      Path images = state.path().resolve("lib/bootj/store/images");
      try (java.util.stream.Stream<Path> files = Files.list(images)) {
        for (Path file : files.toList()) {
          references.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).get("reference").asText());
        }
      }
      return references;
    }
  }

  @Test
  void aSwitchKilledMidwayLeavesTheCurrentSlotBootingAndTheNextRunFinishes() throws Exception {
    // Slot A boots next with an image other than v1 (so switching to v1 has work to do), and
    // slot B, the one the killed switch writes, still has its entry from the earlier switch.
    startFrom(switched());
    Bootj.Result toA = bootj.run("switch", "--disk", disk.toString(), tiny2b);
    assertThat(toA.exitCode()).as(toA.toString()).isZero();

    // In a separate JVM, so it can be killed: the status must still boot slot A (the current
    // one) with its entry unchanged, and slot B's entry must be gone, not half there.
    String entryAName = testDisk.entryFile("a");
    String entryA = testDisk.mtype("::/loader/entries/" + entryAName);
    Process process = BootjProcess.start(work.resolve("store"),
        List.of("switch", "--disk", disk.toString(), "--progress", tiny1));
    List<String> seen = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        seen.add(line);
        // "Writing slot B (ext4, ...)" when written in full, "Writing N paths into slot B" when patched.
        if (line.startsWith("Writing ")) {
          process.destroyForcibly();
          break;
        }
      }
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).as("progress of the killed switch").anyMatch(l -> l.startsWith("Writing ") && l.contains("slot B"));

    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("a");
    assertThat(status.get("slots").get("b").get("bootEntry").isNull()).isTrue();
    assertThat(testDisk.entryFile("a")).isEqualTo(entryAName);
    assertThat(testDisk.mtype("::/loader/entries/" + entryAName)).isEqualTo(entryA);

    Bootj.Result redo = bootj.run("switch", "--disk", disk.toString(), "--json", tiny1);
    assertThat(redo.exitCode()).as(redo.toString()).isZero();
    assertThat(bootj.diskStatus(disk).get("default").asText()).isEqualTo("b");
    assertThat(bootj.diskStatus(disk).get("slots").get("b").get("version").asText()).isEqualTo("1");
    assertThat(testDisk.debugfs(3, "cat /usr/share/tiny-version")).isEqualTo("1\n");
  }

  @Test
  void aSecondBootjIsRefusedWhileOneIsUpdatingTheDisk() throws Exception {
    // Slot B boots next, so the switch writes slot A.
    startFrom(switched());
    // The first bootj runs in its own JVM; the lock is taken before it resolves the image.
    Process first = BootjProcess.start(work.resolve("store"),
        List.of("switch", "--disk", disk.toString(), "--progress", tiny2b));
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String line = lines.readLine();
      assertThat(line).startsWith("Resolving");
      Bootj.Result refused = bootj.run("rollback", "--disk", disk.toString());
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err()).contains("another bootj is already updating disk " + disk.toRealPath())
          .contains("(pid " + first.pid() + ")");
      while (lines.readLine() != null) {
        // let the first one finish
      }
    }
    assertThat(first.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(bootj.diskStatus(disk).get("slots").get("a").get("version").asText()).isEqualTo("2b");
  }

  /**
   * Every offline command on a disk installed with {@code --filesystem xfs}: each mounts the state
   * partition once and reads the status through that mount (xfs refuses a second mount of a
   * filesystem with the same UUID, which is how switch --disk used to fail here).
   */
  @Test
  void everyOfflineCommandWorksOnAnXfsDisk() throws Exception {
    startFrom(installedXfs());
    assertThat(testDisk.blkidType(2)).isEqualTo("xfs");
    assertThat(testDisk.blkidType(4)).isEqualTo("xfs");
    JsonNode installed = bootj.diskStatus(disk);
    assertThat(installed.get("default").asText()).isEqualTo("a");
    assertThat(installed.get("slots").get("a").get("version").asText()).isEqualTo("1");

    // The disk follows a tag of this test's own, since the test moves it.
    String track = Skopeo.push(classWork.resolve("v2"), "2", registry, "tiny/os:track-" + work.getFileName());
    Bootj.Result switched = bootj.run("switch", "--disk", disk.toString(), "--json", track);
    assertThat(switched.exitCode()).as(switched.toString()).isZero();
    JsonNode staged = CheckedJson.parse("update-v1", switched.out());
    assertThat(staged.get("slot").asText()).isEqualTo("b");
    assertThat(staged.get("keptLocalEtcChanges").asInt()).as("edited, added, deleted").isEqualTo(3);
    JsonNode status = bootj.diskStatus(disk);
    assertThat(status.get("default").asText()).isEqualTo("b");
    assertThat(status.get("slots").get("b").get("version").asText()).isEqualTo("2");
    assertThat(testDisk.blkidType(3)).as("the new slot gets the current one's filesystem").isEqualTo("xfs");
    Layout layout = Layout.read(disk);
    try (Mounted slotB = Mounted.partition(disk, layout.offset(3), layout.size(3))) {
      assertThat(slotB.path().resolve("usr/share/tiny-version")).hasContent("2");
      assertThat(slotB.path().resolve("etc/hostname")).hasContent("edited-by-user");
      assertThat(slotB.path().resolve("etc/added-by-user.conf")).hasContent("mine");
      assertThat(slotB.path().resolve("etc/deleted-by-user.conf")).doesNotExist();
      assertThat(slotB.path().resolve("etc/new-in-2.conf")).hasContent("new default");
      assertThat(Files.readString(slotB.path().resolve("etc/fstab"))).contains("PARTUUID=" + layout.partUuid(3) + " / xfs");
    }
    try (Mounted state = Mounted.partition(disk, layout.offset(4), layout.size(4))) {
      assertThat(state.path().resolve("lib/user-data")).hasContent("keep me");
    }

    Skopeo.copy("oci:" + classWork.resolve("v2b") + ":2b", "docker://" + track);
    Bootj.Result check = bootj.run("upgrade", "--check", "--disk", disk.toString(), "--json");
    assertThat(check.exitCode()).as(check.toString()).isZero();
    JsonNode available = CheckedJson.parse("upgrade-check-v1", check.out());
    assertThat(available.get("updateAvailable").asBoolean()).isTrue();
    assertThat(available.get("accepted").asBoolean()).as("the disk's own policy, read from its xfs slot").isTrue();
    Bootj.Result upgrade = bootj.run("upgrade", "--disk", disk.toString(), "--json");
    assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
    assertThat(CheckedJson.parse("update-v1", upgrade.out()).get("slot").asText()).isEqualTo("a");
    assertThat(bootj.diskStatus(disk).get("slots").get("a").get("version").asText()).isEqualTo("2b");

    Bootj.Result back = bootj.run("rollback", "--disk", disk.toString(), "--json");
    assertThat(back.exitCode()).as(back.toString()).isZero();
    assertThat(CheckedJson.parse("rollback-v1", back.out()).get("to").asText()).isEqualTo("b");
    JsonNode rolledBack = bootj.diskStatus(disk);
    assertThat(rolledBack.get("default").asText()).isEqualTo("b");
    assertThat(rolledBack.get("slots").get("b").get("version").asText()).isEqualTo("2");
  }
}

package dev.bootj.it.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.it.support.BootjProcess;
import dev.bootj.it.support.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive the dist module builds ({@code dist/target/bootj-VERSION.tar.gz}), as
 * {@code ADD bootj-VERSION.tar.gz /} in a Containerfile meets it: its headers read with
 * commons-compress, its content unpacked by GNU tar and checked with the tools that will use it
 * on a machine (java, bash, man, systemd-analyze).
 */
class DistributionArchiveIT {

  private static final Path DIST_TARGET = Path.of("..", "dist", "target").toAbsolutePath().normalize();
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  private static Path archive;
  private static String version;
  /** Every entry by name, in archive order. */
  private static Map<String, TarArchiveEntry> entries;

  @TempDir static Path unpacked;

  @BeforeAll
  static void readAndUnpackTheArchive() throws IOException {
    archive = newestArchive();
    String fileName = archive.getFileName().toString();
    version = fileName.substring("bootj-".length(), fileName.length() - ".tar.gz".length());
    entries = new LinkedHashMap<>();
    try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(archive));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        assertThat(entries.put(entry.getName(), entry)).as("entry %s appears twice", entry.getName()).isNull();
      }
    }
    // As root, GNU tar restores owners and modes as the archive states them.
    HostCommand.run(TOOL_TIMEOUT, List.of("tar", "-xzf", archive.toString(), "-C", unpacked.toString()));
  }

  @Test
  void everyEntryIsARelativeNameOwnedByRootUnderADirectoryListedBeforeIt() {
    List<String> listed = new ArrayList<>();
    for (TarArchiveEntry entry : entries.values()) {
      String name = entry.getName();
      assertThat(name).as("entry name").startsWith("usr/").doesNotContain("//").doesNotStartWith("./");
      assertThat(name.split("/")).as("segments of %s", name).doesNotContain("..", ".");
      assertThat(entry.getLongUserId()).as("uid of %s", name).isZero();
      assertThat(entry.getLongGroupId()).as("gid of %s", name).isZero();
      assertThat(entry.getUserName()).as("owner of %s", name).isEqualTo("root");
      assertThat(entry.getGroupName()).as("group of %s", name).isEqualTo("root");
      assertThat(entry.isFile() || entry.isDirectory()).as("%s is a plain file or a directory", name).isTrue();
      String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
      int slash = path.lastIndexOf('/');
      if (slash > 0) {
        assertThat(listed).as("the directory of %s, listed before it", name).contains(path.substring(0, slash + 1));
      }
      if (entry.isDirectory()) {
        assertThat(entry.getMode() & 07777).as("mode of %s", name).isEqualTo(0755);
      }
      listed.add(name);
    }
  }

  @Test
  void shipsLauncherJarUnitsPolicyCompletionAndOneManPagePerCommand() {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("usr/bin/bootj", 0755);
    expected.put("usr/lib/bootj/bootj.jar", 0644);
    expected.put("usr/lib/bootj/update.toml", 0644);
    expected.put("usr/lib/systemd/system/bootj-update.service", 0644);
    expected.put("usr/lib/systemd/system/bootj-update.timer", 0644);
    expected.put("usr/share/bash-completion/completions/bootj", 0644);
    for (String page : List.of("bootj", "bootj-switch", "bootj-upgrade", "bootj-rollback", "bootj-status",
        "bootj-auto-update", "bootj-install-to-disk", "bootj-image-pull", "bootj-image-verify")) {
      expected.put("usr/share/man/man1/" + page + ".1", 0644);
    }
    expected.forEach((name, mode) -> {
      assertThat(entries).as("archive entries").containsKey(name);
      assertThat(entries.get(name).isFile()).as("%s is a file", name).isTrue();
      assertThat(entries.get(name).getMode() & 07777).as("mode of %s", name).isEqualTo(mode);
    });
    // Every file but the launcher is data; nothing else is executable.
    entries.values().stream().filter(TarArchiveEntry::isFile).filter(e -> !e.getName().equals("usr/bin/bootj"))
        .forEach(e -> assertThat(e.getMode() & 07777).as("mode of %s", e.getName()).isEqualTo(0644));
  }

  @Test
  void shippedFilesAreTheRepositorysSources() throws IOException {
    Path repo = DIST_TARGET.getParent().getParent();
    assertThat(unpacked.resolve("usr/bin/bootj")).hasSameBinaryContentAs(repo.resolve("bin/bootj"));
    assertThat(unpacked.resolve("usr/lib/bootj/bootj.jar")).hasSameBinaryContentAs(BootjProcess.JAR);
    for (String file : List.of("usr/lib/bootj/update.toml", "usr/lib/systemd/system/bootj-update.service",
        "usr/lib/systemd/system/bootj-update.timer")) {
      assertThat(unpacked.resolve(file)).hasSameBinaryContentAs(repo.resolve("dist/src/main/root").resolve(file));
    }
    assertThat(Files.getPosixFilePermissions(unpacked.resolve("usr/bin/bootj")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void theJarRunsAndTheLauncherStartsIt() {
    Path jar = unpacked.resolve("usr/lib/bootj/bootj.jar");
    String byJava = HostCommand.run(TOOL_TIMEOUT, List.of(BootjProcess.JAVA.toString(), "-jar", jar.toString(), "--version"));
    assertThat(byJava).startsWith("bootj " + version);
    // The launcher finds the jar through BOOTJ_JAR here; on a machine, at /usr/lib/bootj/bootj.jar.
    String byLauncher = HostCommand.run(TOOL_TIMEOUT, List.of("env", "BOOTJ_JAR=" + jar,
        "JAVA_HOME=" + System.getProperty("java.home"), unpacked.resolve("usr/bin/bootj").toString(), "--version"));
    assertThat(byLauncher).startsWith("bootj " + version);
  }

  @Test
  void completionIsBashThatRegistersTheBootjCommand() {
    Path script = unpacked.resolve("usr/share/bash-completion/completions/bootj");
    HostCommand.run(TOOL_TIMEOUT, List.of("bash", "-n", script.toString()));
    String registered = HostCommand.run(TOOL_TIMEOUT, List.of("bash", "-c", "source \"$1\" && complete -p bootj", "bash",
        script.toString()));
    assertThat(registered.strip()).endsWith(" bootj").contains("-F _complete_bootj");
  }

  @Test
  void manPagesAreTroffWithATitleLine() throws IOException {
    List<Path> pages;
    try (Stream<Path> files = Files.list(unpacked.resolve("usr/share/man/man1"))) {
      pages = files.sorted().toList();
    }
    assertThat(pages).isNotEmpty();
    for (Path page : pages) {
      String name = page.getFileName().toString();
      assertThat(name).endsWith(".1");
      // Comment lines (.\" and '\" t, the preprocessor hint) may come first; then the title.
      String firstRequest = Files.readAllLines(page, StandardCharsets.UTF_8).stream()
          .filter(line -> !line.startsWith(".\\\"") && !line.startsWith("'\\\""))
          .findFirst().orElse("");
      // troff escapes a hyphen meant as such: BOOTJ\-AUTO\-UPDATE.
      String title = name.substring(0, name.length() - ".1".length()).toUpperCase().replace("-", "\\-");
      assertThat(firstRequest).as("first request of %s", name).startsWith(".TH \"" + title + "\" \"1\"");
    }
  }

  @Test
  void manRendersAPageWithItsSynopsisIntact() {
    assumeTrue(HostCommand.isInstalled("man"), "man (man-db) is not installed");
    String page = HostCommand.run(TOOL_TIMEOUT, List.of("env", "MANWIDTH=200", "LC_ALL=C.UTF-8", "man", "--warnings",
        "-l", unpacked.resolve("usr/share/man/man1/bootj-switch.1").toString()));
    assertThat(page).contains("NAME", "SYNOPSIS", "OPTIONS", "EXIT STATUS", "bootj " + version);
    // Brackets in parameter labels once swallowed parts of the synopsis and left AsciiDoc's
    // italics marks behind.
    assertThat(page).contains("[--creds=USER[:PASSWORD]]", "[--disk=TARGET]", "[--platform=OS/ARCH[/VARIANT]]")
        .doesNotContain("_TARGET", "=_");
    assertThat(page).as("groff's warnings").doesNotContain("troff:");
  }

  @Test
  void unitsPassSystemdAnalyzeVerify(@TempDir Path units) throws IOException {
    assumeTrue(HostCommand.isInstalled("systemd-analyze"), "systemd-analyze is not installed");
    // verify checks that ExecStart= is executable and that Documentation=man: pages exist; point
    // both at the unpacked archive, not at this host's /usr.
    Path service = units.resolve("bootj-update.service");
    Path timer = units.resolve("bootj-update.timer");
    String serviceText = Files.readString(unpacked.resolve("usr/lib/systemd/system/bootj-update.service"));
    assertThat(serviceText).contains("ExecStart=/usr/bin/bootj auto-update");
    Files.writeString(service, serviceText.replace("ExecStart=/usr/bin/bootj", "ExecStart=" + unpacked.resolve("usr/bin/bootj")));
    Files.copy(unpacked.resolve("usr/lib/systemd/system/bootj-update.timer"), timer);
    String output = HostCommand.run(TOOL_TIMEOUT, List.of("env", "MANPATH=" + unpacked.resolve("usr/share/man"),
        "systemd-analyze", "verify", service.toString(), timer.toString()));
    // Unknown keys and bad values are only warnings, exit status 0: any output is a finding.
    assertThat(output).as("systemd-analyze verify output").isBlank();
  }

  private static Path newestArchive() throws IOException {
    assertThat(DIST_TARGET).as("the dist module must be built (mvn package) before the integration tests").isDirectory();
    try (Stream<Path> files = Files.list(DIST_TARGET)) {
      return files.filter(p -> p.getFileName().toString().matches("bootj-.+\\.tar\\.gz"))
          .max(Comparator.comparing(DistributionArchiveIT::modified))
          .orElseThrow(() -> new AssertionError("no bootj-VERSION.tar.gz in " + DIST_TARGET + ": run mvn package"));
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

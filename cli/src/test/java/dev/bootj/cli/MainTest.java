package dev.bootj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bootj.common.testing.JsonSchemaCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpReadsLikeAManPage() {
    Result r = run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: bootj", "image", "--store=DIR", "Description:", "Options:", "Exit status:", "The image or registry could not be reached", "BOOTJ_STORE");
  }

  @Test
  void everyImageCommandHasHelp() {
    for (String command : new String[] {"pull", "inspect", "unpack", "list", "rm", "prune", "generate-key", "sign",
        "verify"}) {
      Result r = run("image", command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: bootj image " + command, "Description:", "Exit status:");
    }
    assertThat(run("image", "unpack", "--help").out()).contains("whiteouts", "setuid", "security.capability");
    assertThat(run("image", "pull", "--help").out()).contains("--signature-policy=FILE", "--registries.d=DIR",
        "--registries-conf=FILE");
    assertThat(run("image", "verify", "--help").out()).contains("--key=PUBLIC_KEY", "cosign verify --key");
  }

  @Test
  void unknownCommandIsAUsageErrorWithASuggestion() {
    Result r = run("image", "pul", "x");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("bootj: Unmatched argument", "pull", "Try 'bootj image --help'");
    assertThat(r.err()).doesNotContain("Usage:");
  }

  @Test
  void missingArgumentIsAUsageError() {
    Result r = run("image", "unpack", "localhost:5000/os:1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required parameter: 'DIR'");
  }

  @Test
  void malformedReferenceIsAUsageErrorInOneLine() {
    Result r = run("--store", dir.toString(), "image", "pull", "Not/Valid");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip()).startsWith("bootj: error: 'Not/Valid'").doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void unreachableRegistryIsOneLineWithoutStackTrace() {
    Result r = run("--store", dir.toString(), "image", "pull", "127.0.0.1:1/os:1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IMAGE_ACCESS);
    assertThat(r.err().strip()).isEqualTo(
        "bootj: error: cannot reach registry 127.0.0.1:1: connection refused; check the address and that the registry is running");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Result r = run("--store", dir.toString(), "image", "pull", "--verbose", "127.0.0.1:1/os:1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IMAGE_ACCESS);
    assertThat(r.err()).contains("bootj: error: cannot reach registry", "\tat ");
  }

  @Test
  void storeOptionWorksBeforeAndAfterTheCommand() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    assertThat(run("--store", a.toString(), "image", "list").exitCode()).isZero();
    assertThat(run("image", "list", "--store", b.toString()).exitCode()).isZero();
    assertThat(a.resolve("blobs")).isDirectory();
    assertThat(b.resolve("blobs")).isDirectory();
  }

  @Test
  void missingLayoutIsAnImageAccessError() {
    Result r = run("--store", dir.toString(), "image", "inspect", "oci:" + dir.resolve("nothing-here") + ":1");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.IMAGE_ACCESS);
    assertThat(r.err()).contains("no OCI layout directory at");
  }

  @Test
  void unpackRefusesANonEmptyDirectoryBeforeFetchingAnything() throws Exception {
    Path target = Files.createDirectories(dir.resolve("root"));
    Files.writeString(target.resolve("keep-me"), "precious");
    Result r = run("--store", dir.resolve("store").toString(), "image", "unpack", "127.0.0.1:1/os:1", target.toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).contains("is not empty");
    assertThat(target.resolve("keep-me")).hasContent("precious");
  }

  @Test
  void listIsEmptyJsonOnAnEmptyStore() {
    Result r = run("--store", dir.toString(), "image", "list", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\"images\" : [ ]");
  }

  @Test
  void installAndStatusHaveManuals() {
    Result install = run("install", "to-disk", "--help");
    assertThat(install.exitCode()).isZero();
    assertThat(install.out()).contains("Usage: bootj install to-disk", "--wipe", "--karg=ARG", "--slot-size=SIZE", "TARGET",
        "EFI system partition", "Exit status:");
    Result status = run("status", "--help");
    assertThat(status.exitCode()).isZero();
    assertThat(status.out()).contains("Usage: bootj status", "--disk=TARGET", "--json");
  }

  @Test
  void badInstallOptionsAreUsageErrors() {
    Result fs = run("--store", dir.toString(), "install", "to-disk", "--image", "localhost:5000/os:1", "--filesystem", "btrfs",
        dir.resolve("disk.img").toString());
    assertThat(fs.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(fs.err()).contains("--filesystem takes ext4 or xfs, not 'btrfs'");
    Result size = run("--store", dir.toString(), "install", "to-disk", "--image", "localhost:5000/os:1", "--size", "4X",
        dir.resolve("disk.img").toString());
    assertThat(size.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(size.err()).contains("'4X' is not a size");
    Result noImage = run("install", "to-disk", dir.resolve("disk.img").toString());
    assertThat(noImage.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noImage.err()).contains("--image");
  }

  @Test
  void configDiffListsLocalChangesToEtc() throws Exception {
    Path root = dir.resolve("sysroot");
    Files.createDirectories(root.resolve("usr/etc/ssh"));
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.writeString(root.resolve("usr/etc/hostname"), "image\n");
    Files.writeString(root.resolve("etc/hostname"), "machine-42\n");
    Files.writeString(root.resolve("usr/etc/ssh/sshd_config"), "PermitRootLogin no\n");
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "PermitRootLogin no\n");
    Files.writeString(root.resolve("usr/etc/motd"), "hello\n");
    Files.writeString(root.resolve("etc/added.conf"), "x\n");
    Result r = run("config-diff", "--root", root.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly("added /etc/added.conf", "modified /etc/hostname (content)", "deleted /etc/motd");

    Result json = run("config-diff", "--root", root.toString(), "--json");
    assertThat(json.out()).contains("\"kind\" : \"modified\"", "\"path\" : \"/etc/hostname\"", "\"content\"");

    Result none = run("config-diff", "--root", dir.resolve("empty").toString());
    assertThat(none.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(none.err()).contains("was not installed by bootj");
  }

  @Test
  void generatesShellCompletion() {
    Result r = run("generate-completion");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("complete -F", "bootj");
  }

  @Test
  void updateCommandsHaveManPages() {
    for (String command : new String[] {"switch", "upgrade", "rollback"}) {
      Result r = run(command, "--help");
      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: bootj " + command, "Description:", "--disk=TARGET", "--apply",
          "Exit status:");
    }
    assertThat(run("switch", "--help").out()).contains("boot-complete.target", "/var", "pins");
    assertThat(run("upgrade", "--help").out()).contains("--check", "pinned");
    assertThat(run("--help").out()).contains("switch", "upgrade", "rollback");
  }

  @Test
  void applyWithDiskIsAUsageErrorInOneLine() {
    Result r = run("switch", "--apply", "--disk", dir.resolve("disk.img").toString(), "localhost:5000/os:2");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip()).isEqualTo("bootj: error: --apply reboots this machine; it cannot be used with --disk");
    Result check = run("upgrade", "--check", "--apply");
    assertThat(check.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(check.err()).contains("--check changes nothing");
  }

  @Test
  void switchOnAMachineNotBootedFromASlotSaysSo() {
    // This test machine was not booted by bootj: the update must be refused before anything else.
    Result r = run("--store", dir.toString(), "switch", "localhost:5000/os:2");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void aFileThatIsNotABootjDiskIsNamedAsSuchInOneLine() throws Exception {
    Path notADisk = Files.write(dir.resolve("random.img"), new byte[1 << 20]);
    for (String[] command : new String[][] {
        {"status", "--disk", notADisk.toString()},
        {"status", "--disk", notADisk.toString(), "--json"}}) {
      Result run = run(command);
      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err().strip()).isEqualTo("bootj: error: " + notADisk + " is not a disk installed by bootj ("
          + notADisk.toRealPath() + " has no GPT partition table); install one with 'bootj install to-disk', or give"
          + " the right file");
    }
    Result missing = run("status", "--disk", dir.resolve("nothing.img").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("does not exist").doesNotContain("Exception");
  }

  @Test
  void configDiffListsLocalEtcChangesAsAVersionedRecord() throws Exception {
    Path root = dir.resolve("machine");
    Files.createDirectories(root.resolve("usr/etc"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("usr/etc/hostname"), "image\n");
    Files.writeString(root.resolve("etc/hostname"), "mine\n");
    Files.writeString(root.resolve("usr/etc/motd"), "hello\n");
    Files.writeString(root.resolve("etc/added.conf"), "x\n");
    Result result = run("config-diff", "--root", root.toString(), "--json");
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("\"kind\" : \"EtcChanges\"", "\"/etc/hostname\"", "\"deleted\"");
    assumeTrue(JsonSchemaCheck.available(), "python3-jsonschema is not installed");
    assertThat(JsonSchemaCheck.errors("etc-changes-v1", result.out())).isEmpty();
  }
}

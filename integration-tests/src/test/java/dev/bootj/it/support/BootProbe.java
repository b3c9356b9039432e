package dev.bootj.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A oneshot unit for test images that prints, on the serial console, what the booted machine
 * sees: {@code BOOTJ-PROBE key=value} lines for the kernel command line, whether /usr and /etc
 * are writable, what is mounted on /var and /efi, bootj's state record, the test image's version
 * ({@code /usr/share/it-version}, when it has one), and what {@code bootj
 * status --json} says when the image carries bootj. It runs once /var and
 * /efi are mounted and /usr has been made read-only.
 */
public final class BootProbe {

  public static final String PREFIX = "BOOTJ-PROBE ";

  private static final String SCRIPT = String.join("\n",
      "#!/bin/sh",
      "printf 'BOOTJ-PROBE cmdline=%s\\n' \"$(cat /proc/cmdline)\"",
      "if touch /usr/.probe 2>/dev/null; then echo 'BOOTJ-PROBE usr=rw'; rm -f /usr/.probe; else echo 'BOOTJ-PROBE usr=ro'; fi",
      // What the read-only /usr unit said (its mount errors go only to the journal otherwise).
      "journalctl -b -u bootj-readonly-usr.service --no-pager -o cat | sed 's/^/BOOTJ-PROBE unit: /'",
      "if touch /etc/.probe; then echo 'BOOTJ-PROBE etc=rw'; rm -f /etc/.probe; fi",
      "echo \"BOOTJ-PROBE var=$(findmnt -n -o SOURCE,FSTYPE /var)\"",
      "echo \"BOOTJ-PROBE efi=$(findmnt -n -o SOURCE,FSTYPE /efi)\"",
      "echo \"BOOTJ-PROBE state=$(tr -d ' \\n' </var/lib/bootj/state.json)\"",
      "echo \"BOOTJ-PROBE rootdev=$(findmnt -n -o SOURCE /)\"",
      "if diff -r /usr/etc/hostname /etc/hostname >/dev/null; then echo 'BOOTJ-PROBE usretc=same'; fi",
      "if [ -f /usr/share/it-version ]; then echo \"BOOTJ-PROBE version=$(cat /usr/share/it-version)\"; fi",
      "if command -v bootj >/dev/null; then echo \"BOOTJ-PROBE status=$(bootj status --json 2>&1 | tr -d ' \\n')\"; fi",
      "echo \"BOOTJ-PROBE done\"",
      "");

  private static final String UNIT = String.join("\n",
      "[Unit]",
      "Description=bootj test probe",
      "RequiresMountsFor=/var /efi",
      "After=local-fs.target bootj-readonly-usr.service",
      "[Service]",
      "Type=oneshot",
      "ExecStart=/usr/local/sbin/bootj-probe",
      "StandardOutput=journal+console",
      "[Install]",
      "WantedBy=multi-user.target",
      "");

  private BootProbe() {}

  /** The probe's script and unit, for a test image ({@link TestLayer#plus} adds more to the same layer). */
  public static TestLayer layer() {
    return new TestLayer(List.of(
        new TestLayer.LayerFile("/usr/local/sbin/bootj-probe", SCRIPT, true),
        new TestLayer.LayerFile("/etc/systemd/system/bootj-probe.service", UNIT, false)),
        List.of("bootj-probe.service"));
  }

  /** Adds the probe, enabled, to an unpacked root directory. */
  public static void installInto(Path root) throws IOException {
    layer().installInto(root);
  }

  /** Writes a Containerfile layer adding the probe on top of {@code baseImage}, with its files, into {@code context}. */
  public static Path writeImageContext(Path context, String baseImage) throws IOException {
    return layer().writeImageContext(context, baseImage);
  }

  /** The value of one probe line, e.g. {@code value(console, "usr")} is {@code "ro"}. */
  public static String value(String console, String key) {
    for (String line : console.split("\r?\n")) {
      int at = line.indexOf(PREFIX + key + "=");
      if (at >= 0) {
        return line.substring(at + PREFIX.length() + key.length() + 1).strip();
      }
    }
    return null;
  }

  public static List<String> keys() {
    return List.of("cmdline", "usr", "etc", "var", "efi", "state", "rootdev", "usretc", "version", "status");
  }
}

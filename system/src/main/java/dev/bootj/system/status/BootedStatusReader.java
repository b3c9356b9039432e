package dev.bootj.system.status;

import dev.bootj.common.BootjException;
import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.esp.MountedEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.BootOrder;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.KernelCommandLine;
import dev.bootj.system.model.Slot;
import dev.bootj.system.model.StateRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The running machine's status ({@code bootj status} without --disk), read with plain file reads:
 *
 * <ul>
 *   <li>the booted root from /proc/cmdline's {@code root=PARTUUID=...}, which bootj's entries
 *       always use;</li>
 *   <li>the default slot and the entries from the mounted ESP, wherever it is mounted: /efi (where
 *       bootj's fstab puts it), /boot/efi or /boot, the first holding loader/loader.conf;</li>
 *   <li>bootj's records from /var/lib/bootj/state.json;</li>
 *   <li>each slot's PARTUUID from the GPT of the disk holding the root, found through
 *       /dev/disk/by-partuuid and /sys; when that disk cannot be read (no udev links, not root),
 *       from the {@code root=PARTUUID=} of each slot's boot entry instead.</li>
 * </ul>
 *
 * <p>Every path is taken below {@code hostRoot}, so tests give a directory with a fake /proc,
 * /efi, /var, /dev and /sys.
 */
public final class BootedStatusReader {

  /** Where an ESP is mounted, in the order looked at. */
  static final List<String> ESP_MOUNT_POINTS = List.of("efi", "boot/efi", "boot");

  private final Path hostRoot;

  public BootedStatusReader() {
    this(Path.of("/"));
  }

  /** @param hostRoot stands in for "/" (for tests) */
  public BootedStatusReader(Path hostRoot) {
    this.hostRoot = hostRoot;
  }

  /**
   * @throws NotBootedFromSlotException when the root on the kernel command line is not a bootj
   *     slot, or not given by PARTUUID at all
   */
  public DiskStatus read() throws IOException {
    String root = KernelCommandLine.root(Files.readString(hostRoot.resolve("proc/cmdline"))).orElse(null);
    UUID bootedPartUuid = KernelCommandLine.partUuid(root).orElseThrow(() -> new NotBootedFromSlotException(root));

    Optional<Path> esp = findEsp();
    BootOrder order = BootOrder.of(esp.isEmpty() ? List.of() : new MountedEsp(esp.get(), new CommandRunner()).entries());
    StateRecord record = readState();

    Optional<Path> disk = diskHolding(bootedPartUuid);
    Map<Slot, UUID> partUuids = disk.flatMap(BootedStatusReader::slotPartUuidsFromGpt)
        .orElseGet(() -> slotPartUuidsFromEntries(order));
    Slot booted = partUuids.entrySet().stream()
        .filter(e -> e.getValue().equals(bootedPartUuid))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new NotBootedFromSlotException(root));
    return EspEntries.status(disk.map(this::shownPath).orElse(null), order, record, partUuids, booted);
  }

  /** Where the ESP is mounted (the first of {@link #ESP_MOUNT_POINTS} holding loader/loader.conf). */
  public Optional<Path> espMountPoint() throws IOException {
    return findEsp();
  }

  // fstab mounts the ESP with umask=0077, so only root can look inside; say so rather than
  // reporting a machine without boot entries.
  private Optional<Path> findEsp() throws IOException {
    for (String mountPoint : ESP_MOUNT_POINTS) {
      Path esp = hostRoot.resolve(mountPoint);
      Path loaderConf = esp.resolve("loader/loader.conf");
      if (Files.isRegularFile(loaderConf)) {
        return Optional.of(esp);
      }
      if (Files.isDirectory(esp) && !Files.isReadable(esp)) {
        throw new BootjException(BootjException.Kind.SYSTEM,
            "cannot read the EFI system partition at /" + mountPoint + "; run bootj status as root");
      }
    }
    return Optional.empty();
  }

  // An empty file (a crash while it was first written) is no record, as a missing one is.
  private StateRecord readState() throws IOException {
    Path file = hostRoot.resolve(StateRecord.PATH.substring(1));
    String json = Files.isRegularFile(file) ? Files.readString(file) : "";
    if (json.isBlank()) {
      return null;
    }
    try {
      return StateRecord.fromJson(json);
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read " + StateRecord.PATH + ": "
          + e.getMessage().lines().findFirst().orElse(""), e);
    }
  }

  /**
   * The whole disk the root partition is on: udev's /dev/disk/by-partuuid link gives the
   * partition's node (vda2), and its /sys/class/block directory sits inside its disk's (vda).
   */
  private Optional<Path> diskHolding(UUID partUuid) {
    Path link = hostRoot.resolve("dev/disk/by-partuuid").resolve(partUuid.toString().toLowerCase(Locale.ROOT));
    try {
      Path partition = link.toRealPath();
      Path sys = hostRoot.resolve("sys/class/block").resolve(partition.getFileName().toString()).toRealPath();
      if (!Files.exists(sys.resolve("partition"))) {
        return Optional.empty();
      }
      return Optional.of(partition.resolveSibling(sys.getParent().getFileName().toString()));
    } catch (IOException notFound) {
      return Optional.empty();
    }
  }

  // Empty when the disk cannot be read (not root) or is not laid out as bootj lays disks out.
  private static Optional<Map<Slot, UUID>> slotPartUuidsFromGpt(Path disk) {
    try {
      return Optional.of(BootjDisk.read(disk).slotPartUuids());
    } catch (IOException unreadable) {
      return Optional.empty();
    }
  }

  private static Map<Slot, UUID> slotPartUuidsFromEntries(BootOrder order) {
    Map<Slot, UUID> partUuids = new EnumMap<>(Slot.class);
    order.entries().forEach(e -> EspEntries.rootPartUuid(e).ifPresent(uuid -> partUuids.put(e.slot(), uuid)));
    return partUuids;
  }

  // The disk as the machine names it (/dev/vda), not as found below a test's stand-in root.
  private Path shownPath(Path disk) {
    try {
      return Path.of("/").resolve(hostRoot.toRealPath().relativize(disk).toString());
    } catch (IOException | IllegalArgumentException unrelated) {
      return disk;
    }
  }
}

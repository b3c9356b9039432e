package dev.bootj.system.update;

import dev.bootj.common.BootjException;
import dev.bootj.system.disk.BootjDisk;
import dev.bootj.system.esp.Esp;
import dev.bootj.system.esp.MountedEsp;
import dev.bootj.system.host.CommandRunner;
import dev.bootj.system.model.DiskStatus;
import dev.bootj.system.model.Slot;
import dev.bootj.system.status.BootedStatusReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The running machine: the booted slot is read through "/" and never written; the other slot is
 * written through its partition node, the ESP through its mount point, state.json under /var.
 */
public final class BootedMachine implements UpdateTarget {

  private final BootedStatusReader reader;
  private final Slot booted;
  private final BootjDisk disk;
  private final MountedEsp esp;

  private BootedMachine(BootedStatusReader reader, Slot booted, BootjDisk disk, MountedEsp esp) {
    this.reader = reader;
    this.booted = booted;
    this.disk = disk;
    this.esp = esp;
  }

  /** @throws dev.bootj.system.status.NotBootedFromSlotException when this machine is not booted from a bootj slot */
  public static BootedMachine open(CommandRunner commands) throws IOException {
    BootedStatusReader reader = new BootedStatusReader();
    DiskStatus status = reader.read();
    if (status.disk() == null) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot find the disk holding the booted slot"
          + " (no /dev/disk/by-partuuid link); is udev running?");
    }
    Path espMount = reader.espMountPoint().orElseThrow(() -> new BootjException(BootjException.Kind.SYSTEM,
        "the EFI system partition is not mounted (looked at /efi, /boot/efi, /boot); mount it and run this again"));
    return new BootedMachine(reader, status.bootedSlot(), BootjDisk.read(status.disk()),
        new MountedEsp(espMount, commands));
  }

  @Override
  public String description() {
    return "this machine";
  }

  @Override
  public DiskStatus status() throws IOException {
    return reader.read();
  }

  @Override
  public Slot currentSlot() {
    return booted;
  }

  @Override
  public Path currentRoot() {
    return Path.of("/");
  }

  @Override
  public Path stateRoot() {
    return Path.of("/var");
  }

  @Override
  public BootjDisk disk() {
    return disk;
  }

  @Override
  public Esp esp() {
    return esp;
  }

  @Override
  public dev.bootj.system.disk.PartitionTarget otherSlot() {
    return disk.target(dev.bootj.system.model.PartitionRole.of(booted.other()));
  }

  @Override
  public void flush() throws IOException {
    esp.sync();
    // The slot was written through its own node; its cached blocks go to the disk now.
    try (FileChannel channel = FileChannel.open(disk.target(
        dev.bootj.system.model.PartitionRole.of(booted.other())).path(), StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  @Override
  public void close() {}
}

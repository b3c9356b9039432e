/**
 * {@code bootj status}: {@link dev.bootj.system.status.StatusService} reads the running machine
 * ({@link dev.bootj.system.status.BootedStatusReader}) or a disk that is not running ({@link
 * dev.bootj.system.status.DiskStatusReader}) without changing a byte, and turns what it found into
 * {@link dev.bootj.system.status.HostStatus}, the versioned record {@code --json} prints (schema:
 * docs/schemas/host-v1.schema.json). {@link dev.bootj.system.status.StateFile} reads and replaces
 * state.json.
 */
package dev.bootj.system.status;

package dev.bootj.oci.unpack;

/** What applying one layer did: tar entries processed (whiteouts included) and file bytes written. */
public record LayerStats(long entries, long bytesWritten) {}

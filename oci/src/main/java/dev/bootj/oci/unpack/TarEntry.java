package dev.bootj.oci.unpack;

import java.time.Instant;
import java.util.Map;

/**
 * One member of a layer tar, after GNU and PAX extension headers have been folded in. Names are as
 * stored (relative, possibly with "./" or a trailing "/"); {@code xattrs} values are the raw bytes.
 */
record TarEntry(
    String name,
    LayerListing.Type kind,
    int mode,
    long uid,
    long gid,
    long size,
    Instant mtime,
    String linkName,
    long devMajor,
    long devMinor,
    Map<String, byte[]> xattrs) {}

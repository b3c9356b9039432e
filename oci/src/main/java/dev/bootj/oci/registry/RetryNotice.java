package dev.bootj.oci.registry;

import dev.bootj.oci.reference.Digest;
import java.time.Duration;

/**
 * A registry request failed in a way that may pass, and is about to be tried again.
 *
 * @param subject what was being fetched, for people ("manifest of registry.example/os:1", "blob 1a2b3c4d5e6f")
 * @param blob the blob's digest when a blob was being fetched (so a listener can name its layer), else null
 * @param reason what went wrong, one short phrase ("503 Service Unavailable", "connection reset")
 * @param delay how long until the next attempt
 * @param retry which retry this is, from 1
 * @param maxRetries how many retries are allowed in all
 * @param resumeAt for a blob, the byte the next attempt resumes from (0 when it starts over)
 */
public record RetryNotice(String subject, Digest blob, String reason, Duration delay, int retry, int maxRetries,
    long resumeAt) {}

package dev.bootj.cli.output;

import dev.bootj.common.ByteSize;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.reference.Digest;
import dev.bootj.oci.registry.RetryNotice;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What reaches stderr when no progress is shown: registry retries (and warnings, if asked), one line each.
 * Retries are worth a line even in a quiet run: a pull that takes a minute longer than usual says
 * why, and stdout (--json) is never touched.
 */
public final class NoticePrinter implements ProgressListener {

  private final PrintWriter err;
  private final boolean warnings;
  private final Map<Digest, String> layerNames = new ConcurrentHashMap<>();

  /** @param warnings whether warnings are printed too (commands whose steps report them leave this off) */
  public NoticePrinter(PrintWriter err, boolean warnings) {
    this.err = err;
    this.warnings = warnings;
  }

  @Override
  public void layerStarted(int index, int count, Descriptor layer, boolean stored) {
    layerNames.put(layer.digest(), layerName(index, count));
  }

  @Override
  public void retrying(RetryNotice notice) {
    print("bootj: " + retryLine(notice, notice.blob() == null ? null : layerNames.get(notice.blob())));
  }

  @Override
  public void warning(String message) {
    if (warnings) {
      print("bootj: warning: " + message);
    }
  }

  private synchronized void print(String line) {
    err.println(line);
    err.flush();
  }

  static String layerName(int index, int count) {
    return "layer " + (index + 1) + "/" + count;
  }

  /**
   * "layer 2/8: 503 Service Unavailable, retrying in 2 s (1 of 5)".
   *
   * @param layerName what the progress display calls the blob, or null to use the notice's own subject
   */
  static String retryLine(RetryNotice notice, String layerName) {
    String subject = layerName != null ? layerName : notice.subject();
    String resume = notice.resumeAt() > 0 ? ", resuming at " + ByteSize.format(notice.resumeAt()) : ", retrying";
    return String.format(Locale.ROOT, "%s: %s%s in %s (%d of %d)", subject, notice.reason(), resume, format(notice.delay()),
        notice.retry(), notice.maxRetries());
  }

  static String format(Duration delay) {
    long millis = delay.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + " s";
    }
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}

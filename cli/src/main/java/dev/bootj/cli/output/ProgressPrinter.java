package dev.bootj.cli.output;

import dev.bootj.common.ByteSize;
import dev.bootj.oci.ProgressListener;
import dev.bootj.oci.manifest.Descriptor;
import dev.bootj.oci.registry.RetryNotice;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows per-layer progress (bytes, rate, ETA) on stderr. On a terminal the layer lines are redrawn
 * in place a few times a second; elsewhere (with {@code --progress}) a plain line is printed per
 * layer start and end and every few seconds, which reads well in CI logs.
 */
public final class ProgressPrinter implements ProgressListener, AutoCloseable {

  private boolean closed;
  private final PrintWriter out;
  private final boolean live;
  private final ConcurrentHashMap<Integer, Layer> layers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker;
  private final long started = System.nanoTime();
  private int linesDrawn;

  private static final class Layer {
    final int index;
    final int count;
    final Descriptor descriptor;
    final boolean stored;
    final AtomicLong done = new AtomicLong();
    final long startedNanos = System.nanoTime();
    volatile boolean finished;

    Layer(int index, int count, Descriptor descriptor, boolean stored) {
      this.index = index;
      this.count = count;
      this.descriptor = descriptor;
      this.stored = stored;
    }
  }

  /** @param live redraw in place (a terminal) rather than print plain lines */
  public ProgressPrinter(PrintWriter out, boolean live) {
    this.out = out;
    this.live = live;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "bootj-progress");
      t.setDaemon(true);
      return t;
    });
    long period = live ? 200 : 5000;
    ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void layerStarted(int index, int count, Descriptor layer, boolean stored) {
    Layer l = new Layer(index, count, layer, stored);
    layers.put(index, l);
    if (!live) {
      print(line(l) + (stored ? " (in store)" : ""));
    }
  }

  @Override
  public void layerBytes(int index, long delta) {
    Layer l = layers.get(index);
    if (l != null) {
      l.done.addAndGet(delta);
    }
  }

  @Override
  public void layerFinished(int index) {
    Layer l = layers.get(index);
    if (l != null) {
      l.finished = true;
      if (!live) {
        print(line(l));
      }
    }
  }

  @Override
  public void retrying(RetryNotice notice) {
    Layer named = notice.blob() == null ? null : layers.values().stream()
        .filter(l -> l.descriptor.digest().equals(notice.blob())).findFirst().orElse(null);
    String line = NoticePrinter.retryLine(notice, named == null ? null : NoticePrinter.layerName(named.index, named.count));
    synchronized (this) {
      clearLive();
      out.println(line);
      out.flush();
      linesDrawn = 0;
    }
  }

  @Override
  public void warning(String message) {
    synchronized (this) {
      clearLive();
      out.println("bootj: warning: " + message);
      out.flush();
      linesDrawn = 0;
    }
  }

  private synchronized void tick() {
    if (live) {
      redraw();
    } else {
      layers.values().stream().filter(l -> !l.finished && l.done.get() > 0).forEach(l -> print(line(l)));
    }
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }

  private void clearLive() {
    if (live && linesDrawn > 0) {
      out.print("\033[" + linesDrawn + "F\033[J");
    }
  }

  private synchronized void redraw() {
    clearLive();
    int drawn = 0;
    for (int i = 0; layers.containsKey(i); i++) {
      out.println(line(layers.get(i)));
      drawn++;
    }
    linesDrawn = drawn;
    out.flush();
  }

  private static String line(Layer l) {
    long size = l.descriptor.size();
    long done = Math.min(l.done.get(), size);
    double seconds = Math.max((System.nanoTime() - l.startedNanos) / 1e9, 1e-3);
    double rate = done / seconds;
    String state;
    if (l.finished) {
      state = "done";
    } else if (done == 0) {
      state = l.stored ? "unpacking" : "waiting";
    } else {
      long eta = rate > 0 ? Math.round((size - done) / rate) : -1;
      state = ByteSize.format((long) rate) + "/s" + (eta >= 0 ? ", ETA " + eta + "s" : "");
    }
    return String.format(Locale.ROOT, "layer %d/%d %s %10s / %-10s %s",
        l.index + 1, l.count, l.descriptor.digest().shortHex(), ByteSize.format(done), ByteSize.format(size), state);
  }

  @Override
  public void finished() {
    close();
  }

  /** Stops the ticker and leaves the final state on screen; later calls do nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticker.shutdownNow();
    if (live) {
      redraw();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long total = layers.values().stream().mapToLong(l -> l.done.get()).sum();
    if (!layers.isEmpty()) {
      print(String.format(Locale.ROOT, "%d layer(s), %s read in %.1fs", layers.size(), ByteSize.format(total), seconds));
    }
  }
}

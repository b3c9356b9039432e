package dev.bootj.it.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy on loopback in front of a real registry that breaks requests on purpose, the way
 * real networks and busy registries do. One request per connection (it answers
 * {@code Connection: close}), so every retry and resume is a request it can count.
 */
final class FaultyRegistryProxy implements AutoCloseable {

  /** What goes wrong. */
  enum Fault {
    /** The first request of every manifest and blob is answered 503. */
    FIRST_REQUEST_503,
    /** Every manifest and blob request is answered 503. */
    ALWAYS_503,
    /** The first response of every blob is cut after half its body. */
    CUT_BLOBS_AT_HALF,
    /** As {@link #CUT_BLOBS_AT_HALF}, and Range headers are dropped: every answer is the whole blob (200). */
    CUT_BLOBS_AT_HALF_IGNORING_RANGE
  }

  private final ServerSocket server;
  private final String upstreamHost;
  private final int upstreamPort;
  private final Fault fault;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicLong blobBodyBytes = new AtomicLong();
  private final AtomicInteger served503 = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicInteger partialContent = new AtomicInteger();
  private final List<String> rangeRequests = new ArrayList<>();

  FaultyRegistryProxy(String upstreamHostAndPort, Fault fault) throws IOException {
    int colon = upstreamHostAndPort.lastIndexOf(':');
    this.upstreamHost = upstreamHostAndPort.substring(0, colon);
    this.upstreamPort = Integer.parseInt(upstreamHostAndPort.substring(colon + 1));
    this.fault = fault;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "faulty-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code 127.0.0.1:PORT}: a loopback registry, which bootj reaches over plain HTTP. */
  String hostAndPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Bytes of blob bodies sent to clients, over every request. */
  long blobBodyBytes() {
    return blobBodyBytes.get();
  }

  int served503() {
    return served503.get();
  }

  int cuts() {
    return cuts.get();
  }

  /** How many 206 answers went to clients. */
  int partialContent() {
    return partialContent.get();
  }

  synchronized List<String> rangeRequests() {
    return List.copyOf(rangeRequests);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread handler = new Thread(() -> serve(client), "faulty-proxy-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      int first = in.read();
      if (first < 0) {
        return;
      }
      if (first == 0x16) {
        // A TLS ClientHello: answer as a plain-HTTP registry does, so the client falls back to HTTP.
        out.write("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n".getBytes(StandardCharsets.US_ASCII));
        return;
      }
      List<String> head = readHead(in, (char) first);
      String[] requestLine = head.get(0).split(" ");
      String path = requestLine[1];
      boolean blob = path.contains("/blobs/sha256:");
      boolean manifestOrBlob = blob || path.contains("/manifests/");
      boolean firstTime = seen.add(requestLine[0] + " " + path);
      if (manifestOrBlob && (fault == Fault.ALWAYS_503 || (fault == Fault.FIRST_REQUEST_503 && firstTime))) {
        served503.incrementAndGet();
        out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
            + "Connection: close\r\n\r\nbusy\n").getBytes(StandardCharsets.US_ASCII));
        return;
      }
      boolean cut = blob && firstTime && (fault == Fault.CUT_BLOBS_AT_HALF || fault == Fault.CUT_BLOBS_AT_HALF_IGNORING_RANGE);
      boolean dropRange = fault == Fault.CUT_BLOBS_AT_HALF_IGNORING_RANGE;
      forward(head, out, blob, cut, dropRange);
    } catch (IOException e) {
      // the client went away, or we cut it: either is the point
    }
  }

  private void forward(List<String> head, OutputStream out, boolean blob, boolean cut, boolean dropRange) throws IOException {
    try (Socket upstream = new Socket(upstreamHost, upstreamPort)) {
      StringBuilder request = new StringBuilder(head.get(0)).append("\r\n");
      for (String header : head.subList(1, head.size())) {
        String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
        if (name.equals("connection") || (dropRange && name.equals("range"))) {
          continue;
        }
        if (name.equals("range")) {
          synchronized (this) {
            rangeRequests.add(header);
          }
        }
        request.append(header).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      upstream.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      upstream.getOutputStream().flush();

      InputStream response = upstream.getInputStream();
      List<String> responseHead = readHead(response, (char) -1);
      long length = -1;
      StringBuilder relayed = new StringBuilder(responseHead.get(0)).append("\r\n");
      if (responseHead.get(0).split(" ")[1].equals("206")) {
        partialContent.incrementAndGet();
      }
      for (String header : responseHead.subList(1, responseHead.size())) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("connection:")) {
          continue;
        }
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(header.substring(header.indexOf(':') + 1).trim());
        }
        relayed.append(header).append("\r\n");
      }
      relayed.append("Connection: close\r\n\r\n");
      out.write(relayed.toString().getBytes(StandardCharsets.ISO_8859_1));
      long limit = cut && length > 0 ? length / 2 : Long.MAX_VALUE;
      byte[] buffer = new byte[64 * 1024];
      long sent = 0;
      int n;
      while (sent < limit && (n = response.read(buffer, 0, (int) Math.min(buffer.length, limit - sent))) >= 0) {
        out.write(buffer, 0, n);
        sent += n;
        if (blob) {
          blobBodyBytes.addAndGet(n);
        }
      }
      out.flush();
      if (cut && length > 0) {
        cuts.incrementAndGet();
      }
    }
  }

  /** Reads lines up to the empty one; {@code first} is a character already read, or -1. */
  private static List<String> readHead(InputStream in, char first) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    if (first != (char) -1) {
      line.write(first);
    }
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r")) {
          text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
          return lines;
        }
        lines.add(text);
        line.reset();
      } else {
        line.write(b);
      }
    }
    throw new IOException("the connection ended inside an HTTP head");
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}

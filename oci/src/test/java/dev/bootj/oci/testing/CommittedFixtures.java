package dev.bootj.oci.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Fixture files committed beside a test class (its package on the test class path) by a
 * generate.sh made with an independent tool, and the {@code fixtures.properties} that script
 * writes with the values the tests expect.
 */
public final class CommittedFixtures {

  private final Class<?> anchor;
  private final Properties properties = new Properties();

  /** The fixtures in {@code anchor}'s package; reads its fixtures.properties. */
  public CommittedFixtures(Class<?> anchor) {
    this.anchor = anchor;
    try (InputStream in = open("fixtures.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A value of fixtures.properties. */
  public String property(String name) {
    String value = properties.getProperty(name);
    if (value == null) {
      throw new IllegalArgumentException("fixtures.properties has no " + name);
    }
    return value;
  }

  /** A fixture file's bytes. */
  public byte[] bytes(String file) {
    try (InputStream in = open(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private InputStream open(String file) {
    InputStream in = anchor.getResourceAsStream(file);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + file + "; run generate.sh beside the fixtures");
    }
    return in;
  }
}

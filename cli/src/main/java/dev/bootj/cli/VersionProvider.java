package dev.bootj.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, so it is never out of step with the build. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"bootj " + (version == null ? "(development build)" : version),
        "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
  }
}

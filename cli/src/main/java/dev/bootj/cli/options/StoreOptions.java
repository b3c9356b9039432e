package dev.bootj.cli.options;

import dev.bootj.common.BootjException;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.store.BlobStore;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --store}, which every command accepts (before or after its name), and the one place that
 * decides which store a command opens: --store, else $BOOTJ_STORE, else the default of this user.
 */
public final class StoreOptions {

  /** The name of this mixin on the top command, where subcommands look it up. */
  public static final String MIXIN_NAME = "store";

  @Option(
      names = "--store",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Image store to use (default: $BOOTJ_STORE, else /var/lib/bootj/store for root).")
  Path store;

  /** The store options of the command line {@code spec} belongs to. */
  public static StoreOptions of(CommandSpec spec) {
    return (StoreOptions) spec.root().mixins().get(MIXIN_NAME).userObject();
  }

  public BlobStore open() throws BootjException {
    return BlobStore.open(location(System.getenv()));
  }

  Path location(Map<String, String> environment) {
    if (store != null) {
      return store;
    }
    String fromEnvironment = environment.get("BOOTJ_STORE");
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return Path.of(fromEnvironment);
    }
    return BlobStore.defaultLocation(PosixCalls.isRoot());
  }
}

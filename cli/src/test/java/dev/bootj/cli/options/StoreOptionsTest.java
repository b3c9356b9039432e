package dev.bootj.cli.options;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bootj.cli.Main;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.oci.store.BlobStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class StoreOptionsTest {

  @Test
  void storeOptionThenEnvironmentThenTheUsersDefault() {
    StoreOptions options = new StoreOptions();
    assertThat(options.location(Map.of())).isEqualTo(BlobStore.defaultLocation(PosixCalls.isRoot()));
    assertThat(options.location(Map.of("BOOTJ_STORE", ""))).isEqualTo(BlobStore.defaultLocation(PosixCalls.isRoot()));
    assertThat(options.location(Map.of("BOOTJ_STORE", "/srv/env-store"))).isEqualTo(Path.of("/srv/env-store"));
    options.store = Path.of("/srv/option-store");
    assertThat(options.location(Map.of("BOOTJ_STORE", "/srv/env-store"))).isEqualTo(Path.of("/srv/option-store"));
  }

  @Test
  void subcommandsSeeTheStoreGivenBeforeOrAfterTheirName() {
    for (String[] args : new String[][] {
        {"--store", "/srv/s", "image", "list"},
        {"image", "list", "--store", "/srv/s"}}) {
      CommandLine cli = Main.newCommandLine();
      ParseResult leaf = cli.parseArgs(args);
      while (leaf.subcommand() != null) {
        leaf = leaf.subcommand();
      }
      assertThat(StoreOptions.of(leaf.commandSpec()).location(Map.of())).as(String.join(" ", args))
          .isEqualTo(Path.of("/srv/s"));
    }
  }
}

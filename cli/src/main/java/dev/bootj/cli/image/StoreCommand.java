package dev.bootj.cli.image;

import dev.bootj.cli.options.StoreOptions;
import dev.bootj.common.BootjException;
import dev.bootj.oci.store.BlobStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every image command shares: its streams and the store chosen on the command line. */
abstract class StoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  BlobStore openStore() throws BootjException {
    return StoreOptions.of(spec).open();
  }
}

package dev.bootj.cli.options;

import dev.bootj.system.update.UpdateService;
import picocli.CommandLine.Option;

/** switch's and upgrade's --download-only and --from-downloaded: an update in two steps, as bootc has. */
public final class UpdateScopeOptions {

  @Option(names = "--download-only",
      description = "Only fetch the image's missing layers into the store and record it as downloaded;"
          + " no slot is written. Stage it later, without network, with --from-downloaded.")
  boolean downloadOnly;

  @Option(names = "--from-downloaded",
      description = "Stage the image an earlier --download-only fetched, from the store alone: no network,"
          + " and the signature verdict given when it was downloaded.")
  boolean fromDownloaded;

  /** What to do; refuses combinations that make no sense. */
  public UpdateService.Scope scope(UpdateTargetOptions target) {
    if (downloadOnly && fromDownloaded) {
      throw new IllegalArgumentException("--download-only and --from-downloaded are the two halves of an update;"
          + " give one of them");
    }
    if (downloadOnly && target.apply()) {
      throw new IllegalArgumentException("--download-only stages nothing, so there is nothing to --apply");
    }
    return downloadOnly ? UpdateService.Scope.DOWNLOAD_ONLY
        : fromDownloaded ? UpdateService.Scope.FROM_DOWNLOADED : UpdateService.Scope.STAGE;
  }

  public boolean any() {
    return downloadOnly || fromDownloaded;
  }
}

package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.util.List;

/**
 * No {@code /usr/etc}: bootj keeps the image's pristine /etc there on every slot (the base of the
 * three-way /etc merge), so an image's own would be overwritten at install and update.
 */
final class UsrEtcCheck implements LintCheck {

  @Override
  public String name() {
    return "usr-etc";
  }

  @Override
  public Severity severity() {
    return Severity.ERROR;
  }

  @Override
  public String description() {
    return "no /usr/etc: bootj keeps the image's pristine /etc there";
  }

  @Override
  public List<String> run(ImageRoot root) throws IOException {
    if (EntryLookup.entry(root, "/usr/etc").isEmpty()) {
      return List.of();
    }
    return List.of("the image has /usr/etc, which bootj replaces with a copy of the image's /etc on"
        + " every slot; move its files to /etc (or to /usr/lib) in the Containerfile");
  }
}

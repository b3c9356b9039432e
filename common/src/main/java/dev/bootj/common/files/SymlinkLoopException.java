package dev.bootj.common.files;

import java.io.IOException;

/** A path inside a root goes through more symbolic links than {@link RootResolver} follows. */
public final class SymlinkLoopException extends IOException {

  public SymlinkLoopException(String path, int hops) {
    super("'" + path + "' goes through more than " + hops + " symbolic links (a loop?)");
  }
}

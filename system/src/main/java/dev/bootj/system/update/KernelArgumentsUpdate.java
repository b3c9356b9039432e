package dev.bootj.system.update;

import dev.bootj.system.model.BootEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The kernel arguments of a new slot's entry. The current entry's options are bootj's root and rw,
 * the old image's kargs.d and whatever the user added (at install with --karg, or by editing the
 * entry). The new entry keeps the user's part and swaps the old image's arguments for the new
 * image's: an argument the new image dropped goes, one it added comes.
 */
final class KernelArgumentsUpdate {

  private KernelArgumentsUpdate() {}

  static List<String> options(UUID newRoot, List<String> currentOptions, List<String> oldImageKargs,
      List<String> newImageKargs) {
    List<String> users = new ArrayList<>(currentOptions);
    users.removeIf(o -> o.startsWith("root=") || o.equals("rw") || o.equals("ro"));
    // One occurrence per argument the old image gave: a user's duplicate of it stays.
    for (String imageArgument : oldImageKargs) {
      users.remove(imageArgument);
    }
    List<String> options = new ArrayList<>();
    options.add(BootEntry.rootOption(newRoot));
    options.add("rw");
    options.addAll(newImageKargs);
    options.addAll(users);
    return options;
  }
}

package dev.bootj.system.lint;

import dev.bootj.system.image.ImageRoot;
import java.io.IOException;
import java.util.List;

/**
 * One rule an OS image must follow for bootj. A check only reads the root, resolving every path
 * inside it ({@link ImageRoot}), and says in each finding what is wrong and what to change in the
 * Containerfile.
 */
public interface LintCheck {

  /** Short, stable, lower-case name: what {@code --skip} takes and every finding starts with. */
  String name();

  Severity severity();

  /** One line saying what the check wants, for {@code --list}. */
  String description();

  /** What is wrong in {@code root}, one sentence per problem; empty when the check passes. */
  List<String> run(ImageRoot root) throws IOException;
}

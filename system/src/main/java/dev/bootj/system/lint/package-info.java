/**
 * {@code bootj container lint}: checks, run over an image's root filesystem while it is being built,
 * that catch what would make the image fail to install, boot, update or roll back. Each check is
 * one {@link dev.bootj.system.lint.LintCheck}; {@link dev.bootj.system.lint.Linter} runs them and
 * returns a {@link dev.bootj.system.lint.LintReport}. Paths are resolved inside the root, never on
 * the host, and the root is only read.
 */
package dev.bootj.system.lint;

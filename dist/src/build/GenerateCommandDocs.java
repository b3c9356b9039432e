import dev.bootj.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes bootj's bash completion script and one man page (troff) per command and subcommand.
 *
 * <p>Both come from {@link Main#newCommandLine()}, the very command tree {@code bootj} runs, rather
 * than from the {@code @Command} class alone: that tree also carries what is set in code (the
 * exit status list every {@code --help} shows), so the man pages say what {@code --help} says.
 * picocli's ManPageGenerator writes AsciiDoc; Asciidoctor's manpage backend turns it into troff.
 *
 * <p>The dist module runs this file with Java's source launcher ({@code java
 * GenerateCommandDocs.java ...}) at package time, with the shaded bootj.jar first on the class
 * path, so a build step needs no module of its own.
 *
 * <p>Usage: {@code GenerateCommandDocs VERSION COMPLETION_FILE ADOC_DIR MAN1_DIR}
 */
public final class GenerateCommandDocs {

  /** Wider than any line of bootj's help, so picocli never wraps one. */
  private static final int UNWRAPPED_WIDTH = 10_000;

  /** An italic span without blanks that holds a bracket: how picocli marks up a parameter label. */
  private static final Pattern ITALIC_LABEL = Pattern.compile("_[^_\\s\\[\\]]*[\\[\\]][^_\\s]*_");

  private GenerateCommandDocs() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: GenerateCommandDocs VERSION COMPLETION_FILE ADOC_DIR MAN1_DIR");
      System.exit(2);
    }
    String version = "bootj " + args[0];
    Path completion = Path.of(args[1]);
    Path adocDir = Path.of(args[2]);
    Path man1Dir = Path.of(args[3]);

    CommandLine bootj = Main.newCommandLine();
    // Subcommands have no version of their own (only bootj's, from the jar's manifest): every
    // page's footer names the version being built.
    nameVersion(bootj.getCommandSpec(), version);
    // One line per paragraph: groff fills and wraps the page for the reader's terminal, while
    // picocli's own wrapping (80 columns without a terminal) splits a synopsis in the middle of
    // its AsciiDoc markup (a negatable --[no-]progress came out broken).
    unwrap(bootj);

    Files.createDirectories(completion.getParent());
    Files.writeString(completion, AutoComplete.bash("bootj", bootj));

    Files.createDirectories(adocDir);
    int status = ManPageGenerator.generateManPage(adocDir.toFile(), null, new boolean[0], false, bootj.getCommandSpec());
    if (status != CommandLine.ExitCode.OK) {
      System.err.println("GenerateCommandDocs: picocli's ManPageGenerator failed with exit code " + status);
      System.exit(status);
    }
    escapeBracketsInLabels(adocDir);
    writeManPages(adocDir, man1Dir);
  }

  private static void nameVersion(CommandSpec spec, String version) {
    spec.versionProvider(() -> new String[] {version});
    spec.subcommands().values().forEach(sub -> nameVersion(sub.getCommandSpec(), version));
  }

  private static void unwrap(CommandLine command) {
    command.setUsageHelpAutoWidth(false);
    command.setUsageHelpWidth(UNWRAPPED_WIDTH);
    command.getSubcommands().values().forEach(GenerateCommandDocs::unwrap);
  }

  /**
   * picocli writes a parameter label in italics as is ({@code _USER[:PASSWORD]_}); in a synopsis
   * line AsciiDoc then reads {@code [:PASSWORD]} and what follows as an attribute list and drops
   * text. Brackets inside such a span become the attributes that stand for them.
   */
  private static void escapeBracketsInLabels(Path adocDir) throws IOException {
    try (Stream<Path> files = Files.list(adocDir)) {
      for (Path page : files.filter(p -> p.toString().endsWith(".adoc")).toList()) {
        String text = Files.readString(page);
        String escaped = ITALIC_LABEL.matcher(text).replaceAll(span -> Matcher.quoteReplacement(
            span.group().replace("[", "{startsb}").replace("]", "{endsb}")));
        Files.writeString(page, escaped);
      }
    }
  }

  /** Each NAME.adoc becomes MAN1_DIR/NAME.1 (the manpage backend names the file by section). */
  private static void writeManPages(Path adocDir, Path man1Dir) throws Exception {
    Files.createDirectories(man1Dir);
    List<Path> pages;
    try (Stream<Path> files = Files.list(adocDir)) {
      pages = files.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
    }
    try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
      Options options = Options.builder()
          .backend("manpage")
          .toDir(man1Dir.toFile())
          // The pages go outside the AsciiDoc directory, which any safer mode forbids; the input
          // is the AsciiDoc written just above, nothing from elsewhere.
          .safe(SafeMode.UNSAFE)
          .build();
      for (Path page : pages) {
        asciidoctor.convertFile(page.toFile(), options);
      }
    }
  }
}

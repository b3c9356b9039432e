package dev.bootj.it.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout docs/architecture.md promises, checked on the built jars with the JDK's own {@code
 * jdeps}: no cycle among bootj's packages, and no module reaching into another's internals.
 */
class ArchitectureIT {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> MODULES = List.of("common", "oci", "system", "cli");
  /** oci's packages that only oci itself may use. */
  private static final Set<String> OCI_INTERNALS = Set.of("dev.bootj.oci.unpack", "dev.bootj.oci.pull",
      "dev.bootj.oci.layout", "dev.bootj.oci.source");
  /** system's machinery, which the CLI reaches only through the services. */
  private static final Set<String> SYSTEM_INTERNALS = Set.of("dev.bootj.system.disk", "dev.bootj.system.esp",
      "dev.bootj.system.image", "dev.bootj.system.slot", "dev.bootj.system.host");

  private static Map<String, Set<String>> dependencies;

  @BeforeAll
  static void readDependencies() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(), "-verbose:package", "-filter:none"));
    for (String module : MODULES) {
      command.add(moduleJar(module).toString());
    }
    Process jdeps = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(jdeps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jdeps.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(jdeps.exitValue()).as(output).isZero();
    dependencies = new TreeMap<>();
    for (String line : output.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length >= 3 && fields[1].equals("->") && fields[0].startsWith("dev.bootj.")
          && fields[2].startsWith("dev.bootj.") && !fields[0].equals(fields[2])) {
        dependencies.computeIfAbsent(fields[0], k -> new TreeSet<>()).add(fields[2]);
      }
    }
    assertThat(dependencies).as("jdeps found bootj's packages").containsKeys("dev.bootj.cli", "dev.bootj.system.update");
  }

  private static Path moduleJar(String module) throws IOException {
    try (Stream<Path> files = Files.list(REPO.resolve(module).resolve("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("bootj-" + module + "-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("build " + module + " first: no bootj-" + module + " jar"));
    }
  }

  @Test
  void noPackageCycles() {
    assertThat(cycles()).as("package cycles (jdeps -verbose:package)").isEmpty();
  }

  @Test
  void nothingOutsideOciUsesItsInternals() {
    assertThat(usesOf(OCI_INTERNALS, "dev.bootj.oci")).isEmpty();
  }

  @Test
  void theCliReachesMachinesOnlyThroughServices() {
    List<String> uses = new ArrayList<>();
    dependencies.forEach((from, to) -> to.stream()
        .filter(SYSTEM_INTERNALS::contains)
        .filter(target -> from.startsWith("dev.bootj.cli"))
        .forEach(target -> uses.add(from + " -> " + target)));
    assertThat(uses).isEmpty();
  }

  @Test
  void commonDependsOnNoOtherModule() {
    List<String> uses = new ArrayList<>();
    dependencies.forEach((from, to) -> to.stream()
        .filter(target -> from.startsWith("dev.bootj.common") && !target.startsWith("dev.bootj.common"))
        .forEach(target -> uses.add(from + " -> " + target)));
    assertThat(uses).isEmpty();
  }

  private static List<String> usesOf(Set<String> internals, String owner) {
    List<String> uses = new ArrayList<>();
    dependencies.forEach((from, to) -> to.stream()
        .filter(internals::contains)
        .filter(target -> !from.startsWith(owner))
        .forEach(target -> uses.add(from + " -> " + target)));
    return uses;
  }

  /** Strongly connected components of more than one package (Tarjan). */
  private static List<Set<String>> cycles() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<Set<String>> found = new ArrayList<>();
    int[] counter = {0};
    for (String start : dependencies.keySet()) {
      if (!index.containsKey(start)) {
        connect(start, index, low, stack, onStack, found, counter);
      }
    }
    return found;
  }

  private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
      Set<String> onStack, List<Set<String>> found, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : dependencies.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, found, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        found.add(component);
      }
    }
  }
}

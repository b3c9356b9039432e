package dev.bootj.it.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import dev.bootj.common.posix.PosixCalls;
import dev.bootj.it.support.Bootj;
import dev.bootj.it.support.Buildah;
import dev.bootj.it.support.Docker;
import dev.bootj.it.support.HostCommand;
import dev.bootj.it.support.Skopeo;
import dev.bootj.it.support.TestRegistry;
import dev.bootj.it.support.Toolbox;
import dev.bootj.it.support.Umoci;
import dev.bootj.oci.testing.OciLayoutWriter;
import dev.bootj.oci.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's builder matrix: one small tree, built into images on this machine by each real
 * builder users have (docker, buildah, podman, umoci, GNU tar, skopeo's zstd copy, jib-core),
 * pushed to a real registry, then unpacked by bootj and by {@code umoci unpack}, which must agree
 * file by file. Each builder writes its own layer shapes (a root entry named {@code /} or
 * {@code ./}, a stream that ends right after a file's data, parents a layer never names,
 * whiteouts as single files or opaque markers, PAX or GNU long names); the tests also check that
 * each shape really is in the image, so that a builder changing its output cannot make a test
 * pass by no longer testing anything.
 *
 * <p>The tree has what real OS images have: nested directories, a setgid directory owned by
 * group 50 with a file two levels below it, hard links, absolute and relative symlinks (one
 * with a target over 100 bytes), a 4755 file, a 1777 directory, an empty file, a non-ASCII
 * UTF-8 name and a path over 100 bytes.
 */
class BuilderMatrixIT {

  private static final TestRegistry REGISTRY = new TestRegistry();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TIMINGS = new TreeMap<>();

  private static final String NON_ASCII = "usr/share/doc/grüße-日本語.txt";
  private static final String LONG_DIR = "usr/share/doc/" + "l".repeat(60);
  private static final String LONG_FILE = LONG_DIR + "/" + "n".repeat(70) + ".txt";
  private static final String IMPLIED_FILE = "srv/sgid/a/b/data.txt";
  private static final Set<String> IMPLIED_DIRS = Set.of("srv/sgid/a", "srv/sgid/a/b");
  // Where umoci leaves the time of its own unpack, which no other unpack can match: the implied
  // parents, and the directory it makes them in (umoci restores the times of an entry's own
  // parent only, and that parent does not exist yet). bootj keeps the time the layers give.
  private static final Set<String> MTIME_OF_UNPACK = Set.of("srv/sgid", "srv/sgid/a", "srv/sgid/a/b");
  private static final Instant SGID_MTIME = Instant.parse("2024-01-02T03:04:05Z");
  private static final int STAFF = 50;
  // Not 0755, so that a root entry's mode is seen to be applied rather than a default.
  private static final int ROOT_MODE = 0751;

  private static final int DIR = 0040000;
  private static final int FILE = 0100000;

  @TempDir Path temp;

  @BeforeAll
  static void startRegistry() {
    REGISTRY.start();
  }

  @AfterAll
  static void stopRegistryAndReport() {
    REGISTRY.stop();
    System.out.println("builder matrix, seconds per builder:");
    TIMINGS.forEach((builder, line) -> System.out.printf("  %-34s %s%n", builder, line));
  }

  @BeforeEach
  void onlyAsRoot() {
    // Owners, setuid bits and vfs storage for buildah and podman all need root.
    assumeTrue(PosixCalls.isRoot(), "the builder matrix needs root");
    assumeTrue(HostCommand.isInstalled("umoci"), "umoci is not installed (Debian package umoci)");
    assumeTrue(HostCommand.isInstalled("skopeo"), "skopeo is not installed (Debian package skopeo)");
  }

  // --- Containerfile builders -------------------------------------------------------------

  @Test
  void dockerBuild() throws Exception {
    assumeTrue(HostCommand.isInstalled("docker"), "docker is not installed (Debian package docker.io)");
    Path context = containerfileContext();
    String image = REGISTRY.reference("matrix/docker:1");
    long start = System.nanoTime();
    Docker.build(context, context.resolve("Containerfile"), image, List.of());
    try {
      Docker.push(image);
    } finally {
      Docker.removeImage(image);
    }
    Unpacked trees = unpackBoth("docker build", start, image, image, Set.of());

    assertContainerfileTree(trees);
    // Docker's overlay2 diff turns the directory removed and made again by RUN into an opaque marker.
    assertThat(entryNames(trees.layers().get(2))).contains("etc/.wh.gone.conf", "opt/replace/.wh..wh..opq");
    // overlayfs copies up only the name chmod opened, so the hard link made by COPY is split:
    // tool-hardlink stays the lower layer's 0755 file.
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertThat(snapshot.node("usr/bin/tool-hardlink")).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::hardLinkGroup)
          .containsExactly(FILE | 0755, null);
    }
  }

  @Test
  void buildahBud() throws Exception {
    assumeTrue(HostCommand.isInstalled("buildah"), "buildah is not installed (Debian package buildah)");
    containerfileBuilder("buildah bud", Buildah.buildah(temp.resolve("buildah-storage")), "matrix/buildah:1");
  }

  @Test
  void podmanBuild() throws Exception {
    assumeTrue(HostCommand.isInstalled("podman"), "podman is not installed (Debian package podman)");
    containerfileBuilder("podman build", Buildah.podman(temp.resolve("podman-storage")), "matrix/podman:1");
  }

  private void containerfileBuilder(String name, Buildah builder, String repoAndTag) throws Exception {
    Path context = containerfileContext();
    String image = REGISTRY.reference(repoAndTag);
    long start = System.nanoTime();
    builder.build(context, context.resolve("Containerfile"), image);
    builder.push(image);
    Unpacked trees = unpackBoth(name, start, image, image, Set.of());

    assertContainerfileTree(trees);
    // vfs has no overlay to ask: the diff of RUN names each removed file instead of an opaque
    // directory, and the new hard link points into an earlier layer.
    List<TarArchiveEntry> run = entries(trees.layers().get(2));
    assertThat(run).extracting(TarArchiveEntry::getName).contains("etc/.wh.gone.conf", "opt/replace/.wh.old.txt");
    assertThat(run).filteredOn(e -> e.getName().equals("usr/bin/tool-link2"))
        .singleElement().matches(TarArchiveEntry::isLink).extracting(TarArchiveEntry::getLinkName).isEqualTo("usr/bin/tool");
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertHardLinked(snapshot, "usr/bin/tool", "usr/bin/tool-hardlink", "usr/bin/tool-link2");
    }
  }

  /**
   * A build context whose Containerfile needs no base image: the tree and, for its {@code RUN},
   * a shell and a few coreutils from this host. The RUN deletes a file (a whiteout), replaces a
   * directory, and restores what {@code COPY} loses: owners, setuid and setgid bits.
   */
  private Path containerfileContext() throws IOException {
    Path context = temp.resolve("context");
    writeTree(context.resolve("tree"));
    Toolbox.copyInto(context.resolve("toolbox"), "/bin/dash", "/bin/rm", "/bin/mkdir", "/bin/chmod", "/bin/chown", "/bin/ln");
    String script = String.join(" && ",
        "rm /etc/gone.conf",
        "rm -r /opt/replace", "mkdir /opt/replace", "echo new > /opt/replace/new.txt",
        "chown 0:" + STAFF + " /srv/sgid", "chmod 2775 /srv/sgid",
        "chown 1000:" + STAFF + " /srv/sgid/owned.txt",
        "chmod 4755 /usr/bin/tool",
        "ln /usr/bin/tool /usr/bin/tool-link2");
    Files.writeString(context.resolve("Containerfile"), String.join("\n",
        "FROM scratch",
        "COPY tree/ /",
        "COPY toolbox/ /",
        "RUN [\"/bin/dash\", \"-c\", \"" + script + "\"]",
        ""));
    return context;
  }

  private static void assertContainerfileTree(Unpacked trees) throws IOException {
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertTreeContent(snapshot);
      assertThat(snapshot.node("usr/bin/tool").mode()).isEqualTo(FILE | 04755);
      assertHardLinked(snapshot, "usr/bin/tool", "usr/bin/tool-link2");
      assertSetgidDirectory(snapshot);
      assertThat(snapshot.nodes()).doesNotContainKeys("etc/gone.conf", "opt/replace/old.txt").containsKey("opt/replace/new.txt");
    }
    assertThat(trees.oursRoot().resolve("opt/replace/new.txt")).hasContent("new");
  }

  // --- umoci -------------------------------------------------------------------------------

  @Test
  void umociInsertOfADirectoryAtTheRoot() throws Exception {
    long start = System.nanoTime();
    Path layout = umociImage(1);
    String image = Skopeo.push(layout, "t1", REGISTRY, "matrix/umoci-root:1");
    Unpacked trees = unpackBoth("umoci insert DIR /", start, image, image, Set.of());

    TarArchiveEntry first = entries(trees.layers().get(0)).get(0);
    assertThat(first.getName()).isEqualTo("/");
    assertThat(first.getMode()).isEqualTo(ROOT_MODE);
    assertRootMode(trees, ROOT_MODE);
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertTreeContent(snapshot);
      assertThat(snapshot.node("usr/bin/tool").mode()).isEqualTo(FILE | 04755);
      assertSetgidDirectory(snapshot);
      assertHardLinked(snapshot, "usr/bin/tool", "usr/bin/tool-hardlink");
      assertThat(snapshot.node("etc/gone.conf").type()).isEqualTo("file");
    }
  }

  @Test
  void umociInsertOfASingleFileBelowParentsTheLayerDoesNotName() throws Exception {
    long start = System.nanoTime();
    Path layout = umociImage(2);
    String image = Skopeo.push(layout, "t2", REGISTRY, "matrix/umoci-file:1");
    Unpacked trees = unpackBoth("umoci insert FILE PATH", start, image, image, MTIME_OF_UNPACK);

    // One header and the data, then the stream ends: no padding, no end-of-archive blocks.
    byte[] single = trees.layers().get(1);
    String data = Files.readString(temp.resolve("umoci-sources/data.txt"));
    assertThat(single).hasSize(512 + data.length());
    assertThat(new String(single, 0, IMPLIED_FILE.length(), StandardCharsets.UTF_8)).isEqualTo(IMPLIED_FILE);
    assertThat(single[IMPLIED_FILE.length()]).isZero();

    assertThat(trees.oursRoot().resolve(IMPLIED_FILE)).hasContent(data);
    assertThat(trees.ours().node("srv/sgid").mtime()).isEqualTo(SGID_MTIME);
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertTreeContent(snapshot);
      assertSetgidDirectory(snapshot);
      for (String implied : IMPLIED_DIRS) {
        // mkdir 0755 under a setgid directory: the kernel adds the bit and the parent's group.
        assertThat(snapshot.node(implied).mode()).as(implied).isEqualTo(DIR | 02755);
        assertThat(snapshot.node(implied).gid()).as(implied).isEqualTo(STAFF);
        assertThat(snapshot.node(implied).uid()).as(implied).isZero();
      }
    }
  }

  @Test
  void umociRepackWithWhiteoutsAndAnOpaqueInsert() throws Exception {
    long start = System.nanoTime();
    Path layout = umociImage(3);
    String image = Skopeo.push(layout, "t3", REGISTRY, "matrix/umoci-repack:1");
    Unpacked trees = unpackBoth("umoci repack + insert --opaque", start, image, image, MTIME_OF_UNPACK);

    assertUmociRepackShapes(trees);
  }

  private void assertUmociRepackShapes(Unpacked trees) throws IOException {
    assertThat(trees.layers()).hasSize(4);
    assertThat(entryNames(trees.layers().get(2))).contains("etc/.wh.gone.conf", "usr/share/doc/.wh.deep", "etc/added.conf");
    assertThat(entryNames(trees.layers().get(3))).contains("opt/replace/.wh..wh..opq", "opt/replace/new.txt");
    assertRootMode(trees, ROOT_MODE);
    assertThat(trees.ours().node("srv/sgid").mtime()).isEqualTo(SGID_MTIME);
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertThat(snapshot.nodes()).doesNotContainKeys("etc/gone.conf", "usr/share/doc/deep", "opt/replace/old.txt")
          .containsKeys("etc/added.conf", "opt/replace/new.txt", IMPLIED_FILE, LONG_FILE, NON_ASCII);
      assertThat(snapshot.node("etc/hostname").mode()).isEqualTo(FILE | 0600);
      assertThat(snapshot.node("srv/sgid/a").mode()).isEqualTo(DIR | 02755);
    }
  }

  /**
   * An umoci-built OCI layout, tags t1 to t{@code stages}: t1 is the tree inserted at {@code /};
   * t2 adds one file under parents no layer names; t3 adds what {@code umoci repack} makes of a
   * deleted file, a deleted directory, a new file and a changed mode, and then an opaque directory
   * inserted with {@code --opaque}.
   */
  private Path umociImage(int stages) throws IOException {
    Path layout = temp.resolve("umoci-layout");
    Path sources = Files.createDirectories(temp.resolve("umoci-sources"));
    writeTree(sources.resolve("tree"));
    Umoci.newImage(layout, "t0");
    Umoci.insert(layout, "t0", "t1", sources.resolve("tree"), "/");
    if (stages >= 2) {
      Files.writeString(sources.resolve("data.txt"), "below two parents the layer does not name\n");
      Umoci.insert(layout, "t1", "t2", sources.resolve("data.txt"), "/" + IMPLIED_FILE);
    }
    if (stages >= 3) {
      Path bundle = temp.resolve("umoci-bundle");
      Umoci.unpack(layout, "t2", bundle);
      Path rootfs = bundle.resolve("rootfs");
      Files.delete(rootfs.resolve("etc/gone.conf"));
      deleteTree(rootfs.resolve("usr/share/doc/deep"));
      Files.writeString(rootfs.resolve("etc/added.conf"), "added by repack\n");
      Files.setAttribute(rootfs.resolve("etc/hostname"), "unix:mode", 0600);
      Umoci.repack(layout, "t3-repack", bundle);
      Path replacement = Files.createDirectories(sources.resolve("replacement"));
      Files.writeString(replacement.resolve("new.txt"), "new\n");
      Umoci.insertOpaque(layout, "t3-repack", "t3", replacement, "/opt/replace");
    }
    return layout;
  }

  // --- skopeo zstd ----------------------------------------------------------------------------

  @Test
  void zstdCopyBySkopeoOfTheUmociImage() throws Exception {
    long start = System.nanoTime();
    Path layout = umociImage(3);
    String gzip = Skopeo.push(layout, "t3", REGISTRY, "matrix/zstd-source:1");
    // Registry to the same registry, skopeo 1.9 kept the gzip layers (it reused the blobs the
    // registry already had), so the zstd copy goes through a layout.
    Path zstdLayout = temp.resolve("zstd-layout");
    Skopeo.copyRecompressed("docker://" + gzip, "oci:" + zstdLayout + ":zstd", "zstd");
    String zstd = Skopeo.push(zstdLayout, "zstd", REGISTRY, "matrix/zstd:1");

    Bootj.Result inspected = new Bootj(temp.resolve("inspect-store")).run("image", "inspect", "--json", zstd);
    assertThat(inspected.exitCode()).as(inspected.toString()).isZero();
    JsonNode inspect = JSON.readTree(inspected.out());
    assertThat(inspect.get("layers")).hasSize(4)
        .allSatisfy(layer -> assertThat(layer.get("mediaType").asText()).isEqualTo(OciLayoutWriter.TAR_ZSTD));
    // umoci 0.4 cannot read zstd: it unpacks the gzip original, whose tar streams are the same.
    Unpacked trees = unpackBoth("skopeo copy --dest-compress-format zstd", start, zstd, gzip, MTIME_OF_UNPACK);
    assertUmociRepackShapes(trees);
  }

  // --- GNU tar --------------------------------------------------------------------------------

  @Test
  void gnuTarLayersWithDotSlashNames() throws Exception {
    long start = System.nanoTime();
    Path tree = temp.resolve("tar-tree");
    writeTree(tree);
    Path first = temp.resolve("layer1.tar");
    // GNU tar's own format: long names and link targets in ././@LongLink entries.
    HostCommand.run(Duration.ofMinutes(1), List.of("tar", "-C", tree.toString(), "-cf", first.toString(), "."));
    Path side = temp.resolve("tar-side");
    Files.createDirectories(side.resolve("srv/sgid/a/b"));
    Files.writeString(side.resolve(IMPLIED_FILE), "below two parents the layer does not name\n");
    Files.createDirectories(side.resolve("opt/replace"));
    Files.createFile(side.resolve("opt/replace/.wh..wh..opq"));
    Files.writeString(side.resolve("opt/replace/new.txt"), "new\n");
    Files.createDirectories(side.resolve("etc"));
    Files.createFile(side.resolve("etc/.wh.gone.conf"));
    Path second = temp.resolve("layer2.tar");
    // PAX this time; files named one by one, so their parents have no entries, and the opaque
    // marker first (umoci applies it to whatever is already there, this layer's files included).
    HostCommand.run(Duration.ofMinutes(1), List.of("tar", "--format=posix", "-C", side.toString(), "-cf", second.toString(),
        "./" + IMPLIED_FILE, "./opt/replace/.wh..wh..opq", "./opt/replace/new.txt", "./etc/.wh.gone.conf"));
    // A file list, as builders that pick files write it (tar --no-recursion -T LIST): a new setgid
    // directory and a file below it in the same layer, once with the directory first and once
    // last. Only where the directory comes first is it setgid when the file's parents are made,
    // so only there do they take its group and bit.
    Path side3 = temp.resolve("tar-side3");
    for (String dir : List.of("srv/early/c/d", "srv/late/e/f")) {
      Files.createDirectories(side3.resolve(dir));
      Files.writeString(side3.resolve(dir).resolve("data.txt"), dir + "\n");
    }
    for (String dir : List.of("srv/early", "srv/late")) {
      Files.setAttribute(side3.resolve(dir), "unix:gid", STAFF);
      Files.setAttribute(side3.resolve(dir), "unix:mode", 02775);
      Files.setLastModifiedTime(side3.resolve(dir), FileTime.from(SGID_MTIME));
    }
    Path third = temp.resolve("layer3.tar");
    HostCommand.run(Duration.ofMinutes(1), List.of("tar", "--format=posix", "--no-recursion", "-C", side3.toString(),
        "-cf", third.toString(), "./srv/early", "./srv/early/c/d/data.txt", "./srv/late/e/f/data.txt", "./srv/late"));
    Path layout = temp.resolve("tar-layout");
    OciLayoutWriter.write(layout, "t", List.of(
        new OciLayoutWriter.Layer(Files.readAllBytes(first), OciLayoutWriter.TAR_GZIP),
        new OciLayoutWriter.Layer(Files.readAllBytes(second), OciLayoutWriter.TAR),
        new OciLayoutWriter.Layer(Files.readAllBytes(third), OciLayoutWriter.TAR_GZIP)));
    String image = Skopeo.push(layout, "t", REGISTRY, "matrix/gnu-tar:1");
    // umoci's mkdir of srv/late's implied parents also leaves the time of its unpack on srv.
    Set<String> mtimeOfUnpack = new HashSet<>(MTIME_OF_UNPACK);
    mtimeOfUnpack.addAll(List.of("srv", "srv/early", "srv/early/c", "srv/early/c/d", "srv/late/e", "srv/late/e/f"));
    Unpacked trees = unpackBoth("tar -C DIR -c .", start, image, image, mtimeOfUnpack);

    List<String> names = entryNames(trees.layers().get(0));
    assertThat(names.get(0)).isEqualTo("./");
    assertThat(names).allMatch(name -> name.startsWith("./")).contains("./" + LONG_FILE);
    assertThat(new String(trees.layers().get(0), StandardCharsets.ISO_8859_1)).contains("././@LongLink");
    assertThat(entryNames(trees.layers().get(1))).contains("./opt/replace/.wh..wh..opq", "./etc/.wh.gone.conf");
    assertThat(entryNames(trees.layers().get(2)))
        .containsExactly("./srv/early/", "./srv/early/c/d/data.txt", "./srv/late/e/f/data.txt", "./srv/late/");
    assertRootMode(trees, ROOT_MODE);
    assertThat(trees.ours().node("srv/sgid").mtime()).isEqualTo(SGID_MTIME);
    assertThat(trees.ours().node("srv/early").mtime()).isEqualTo(SGID_MTIME);
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertTreeContent(snapshot);
      assertThat(snapshot.node("usr/bin/tool").mode()).isEqualTo(FILE | 04755);
      assertHardLinked(snapshot, "usr/bin/tool", "usr/bin/tool-hardlink");
      assertSetgidDirectory(snapshot);
      for (String implied : IMPLIED_DIRS) {
        assertThat(snapshot.node(implied).mode()).as(implied).isEqualTo(DIR | 02755);
        assertThat(snapshot.node(implied).gid()).as(implied).isEqualTo(STAFF);
      }
      assertThat(snapshot.nodes()).doesNotContainKeys("etc/gone.conf", "opt/replace/old.txt", "opt/replace/.wh..wh..opq")
          .containsKey("opt/replace/new.txt");
      for (String setgid : List.of("srv/early/c", "srv/early/c/d")) {
        assertThat(snapshot.node(setgid)).as(setgid).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::gid)
            .containsExactly(DIR | 02755, STAFF);
      }
      for (String plain : List.of("srv/late/e", "srv/late/e/f")) {
        assertThat(snapshot.node(plain)).as(plain).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::gid)
            .containsExactly(DIR | 0755, 0);
      }
      assertThat(snapshot.node("srv/late")).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::gid)
          .containsExactly(DIR | 02775, STAFF);
    }
  }

  // --- jib-core -------------------------------------------------------------------------------

  @Test
  void jibCore() throws Exception {
    long start = System.nanoTime();
    Path tree = temp.resolve("jib-tree");
    writeTree(tree);
    Path override = temp.resolve("jib-hostname");
    Files.writeString(override, "from the second layer\n");
    Instant mtime = Instant.parse("2024-05-06T07:08:09Z");
    // jib follows symlinks and has no setuid or setgid bits: it gets the files and directories.
    FileEntriesLayer files = FileEntriesLayer.builder().setName("tree")
        .addEntryRecursive(tree.resolve("usr/share"), AbsoluteUnixPath.get("/usr/share"))
        .addEntry(tree.resolve("etc/hostname"), AbsoluteUnixPath.get("/etc/hostname"))
        .addEntry(tree.resolve("etc/empty"), AbsoluteUnixPath.get("/etc/empty"), FilePermissions.fromOctalString("644"), mtime)
        .addEntry(tree.resolve("usr/bin/tool"), AbsoluteUnixPath.get("/usr/bin/tool"), FilePermissions.fromOctalString("755"), mtime)
        .addEntry(tree.resolve("tmp"), AbsoluteUnixPath.get("/tmp"), FilePermissions.fromOctalString("777"), mtime)
        .addEntry(tree.resolve("srv/sgid/owned.txt"), AbsoluteUnixPath.get("/srv/sgid/owned.txt"),
            FilePermissions.fromOctalString("640"), mtime, "1000:" + STAFF)
        .build();
    FileEntriesLayer second = FileEntriesLayer.builder().setName("override")
        .addEntry(override, AbsoluteUnixPath.get("/etc/hostname"), FilePermissions.fromOctalString("600"), mtime)
        .build();
    String image = REGISTRY.reference("matrix/jib:1");
    Jib.fromScratch()
        .addFileEntriesLayer(files)
        .addFileEntriesLayer(second)
        .containerize(Containerizer.to(RegistryImage.named(image))
            .setAllowInsecureRegistries(true)
            .setBaseImageLayersCache(temp.resolve("jib-cache/base"))
            .setApplicationLayersCache(temp.resolve("jib-cache/app"))
            .setToolName("bootj-builder-matrix"));
    Unpacked trees = unpackBoth("jib-core", start, image, image, Set.of());

    assertThat(entryNames(trees.layers().get(0))).contains(LONG_FILE, NON_ASCII, "srv/", "srv/sgid/");
    assertThat(trees.oursRoot().resolve("etc/hostname")).hasContent("from the second layer");
    assertThat(trees.oursRoot().resolve(LONG_FILE)).hasContent("long");
    for (TreeSnapshot snapshot : List.of(trees.ours(), trees.theirs())) {
      assertThat(snapshot.node("etc/hostname").mode()).isEqualTo(FILE | 0600);
      assertThat(snapshot.node("etc/empty").size()).isZero();
      assertThat(snapshot.node("tmp").mode()).isEqualTo(DIR | 0777);
      assertThat(snapshot.node("srv/sgid/owned.txt")).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::uid, TreeSnapshot.Node::gid)
          .containsExactly(FILE | 0640, 1000, STAFF);
      assertThat(snapshot.node(NON_ASCII).type()).isEqualTo("file");
      assertThat(snapshot.node("usr/share/doc/deep/nested/dir/readme.txt").mtime()).isEqualTo(Instant.ofEpochSecond(1));
      assertThat(snapshot.node("usr/bin/tool").mtime()).isEqualTo(mtime);
    }
  }

  // --- the comparison -------------------------------------------------------------------------

  /** What bootj and umoci made of one image, and that image's layers, uncompressed. */
  private record Unpacked(Path oursRoot, Path theirsRoot, TreeSnapshot ours, TreeSnapshot theirs, List<byte[]> layers) {}

  /**
   * bootj unpacks {@code bootjImage} from the registry; umoci unpacks {@code umociImage}, copied
   * out of the registry by skopeo. The trees must be identical, but for the mtimes of
   * {@code mtimeOfUnpack}, where umoci leaves the time it ran.
   */
  private Unpacked unpackBoth(String builder, long startNanos, String bootjImage, String umociImage, Set<String> mtimeOfUnpack)
      throws IOException {
    long built = System.nanoTime();
    Path ours = temp.resolve("bootj-root");
    Bootj.Result unpack = new Bootj(temp.resolve("store")).run("image", "unpack", bootjImage, ours.toString());
    long bootjDone = System.nanoTime();
    if (unpack.exitCode() != 0) {
      timing(builder, String.format("build+push %5.1f   bootj unpack FAILED", seconds(startNanos, built)));
    }
    assertThat(unpack.exitCode()).as("bootj image unpack of the " + builder + " image: " + unpack).isZero();

    Path layout = temp.resolve("pulled");
    Skopeo.pullToLayout(umociImage, layout, "pulled");
    Path bundle = temp.resolve("umoci-reference");
    Umoci.unpack(layout, "pulled", bundle);
    Path theirs = bundle.resolve("rootfs");
    timing(builder, String.format("build+push %5.1f   bootj unpack %5.1f   skopeo+umoci unpack %5.1f",
        seconds(startNanos, built), seconds(built, bootjDone), seconds(bootjDone, System.nanoTime())));

    TreeSnapshot oursTree = TreeSnapshot.capture(ours);
    TreeSnapshot theirsTree = TreeSnapshot.capture(theirs);
    assertThat(oursTree.diff(theirsTree, path -> !mtimeOfUnpack.contains(path)))
        .as("bootj's unpack of the " + builder + " image against umoci's, file by file").isEmpty();
    for (String attribute : List.of("mode", "uid", "gid")) {
      assertThat(Files.getAttribute(ours, "unix:" + attribute)).as("root directory " + attribute)
          .isEqualTo(Files.getAttribute(theirs, "unix:" + attribute));
    }
    assertThat(mtimeOfUnpack).allMatch(oursTree.nodes()::containsKey);
    return new Unpacked(ours, theirs, oursTree, theirsTree, layers(layout, "pulled"));
  }

  private static void assertRootMode(Unpacked trees, int mode) throws IOException {
    assertThat(Files.getAttribute(trees.oursRoot(), "unix:mode")).isEqualTo(DIR | mode);
    assertThat(Files.getAttribute(trees.theirsRoot(), "unix:mode")).isEqualTo(DIR | mode);
    // The root entry's mtime too, which only an unpacker that applies the entry gets right.
    assertThat(Files.getLastModifiedTime(trees.oursRoot(), LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Files.getLastModifiedTime(trees.theirsRoot(), LinkOption.NOFOLLOW_LINKS));
  }

  /** What every builder but jib keeps of the tree (hard links aside: docker's copy-up breaks one). */
  private static void assertTreeContent(TreeSnapshot tree) {
    assertThat(tree.node("etc/empty")).extracting(TreeSnapshot.Node::type, TreeSnapshot.Node::size).containsExactly("file", 0L);
    assertThat(tree.node("usr/share/doc/deep/nested/dir/readme.txt").type()).isEqualTo("file");
    assertThat(tree.node(NON_ASCII).type()).isEqualTo("file");
    assertThat(tree.node(LONG_FILE).size()).isEqualTo("long\n".length());
    assertThat(tree.node("usr/bin/abs-link").linkTarget()).isEqualTo("/usr/bin/tool");
    assertThat(tree.node("usr/bin/rel-link").linkTarget()).isEqualTo("../share/doc");
    assertThat(tree.node("usr/bin/long-link").linkTarget()).isEqualTo("/" + LONG_FILE);
    assertThat(tree.node("tmp").mode()).isEqualTo(DIR | 01777);
    assertThat(tree.node("srv/sgid/owned.txt")).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::uid, TreeSnapshot.Node::gid)
        .containsExactly(FILE | 0640, 1000, STAFF);
  }

  private static void assertHardLinked(TreeSnapshot tree, String... paths) {
    assertThat(tree.node(paths[0]).hardLinkGroup()).as(paths[0] + " is hard-linked").isNotNull();
    for (String path : paths) {
      assertThat(tree.node(path).hardLinkGroup()).as(path).isEqualTo(tree.node(paths[0]).hardLinkGroup());
    }
  }

  private static void assertSetgidDirectory(TreeSnapshot tree) {
    assertThat(tree.node("srv/sgid")).extracting(TreeSnapshot.Node::mode, TreeSnapshot.Node::uid, TreeSnapshot.Node::gid)
        .containsExactly(DIR | 02775, 0, STAFF);
  }

  // --- the tree and the layers ------------------------------------------------------------------

  private static void writeTree(Path root) throws IOException {
    Files.createDirectories(root);
    Files.setAttribute(root, "unix:mode", ROOT_MODE);
    file(root, "etc/hostname", "matrix\n", 0644);
    file(root, "etc/empty", "", 0644);
    file(root, "etc/gone.conf", "a later layer deletes this\n", 0644);
    file(root, "usr/bin/tool", "#!/bin/sh\necho tool\n", 04755);
    Files.createLink(root.resolve("usr/bin/tool-hardlink"), root.resolve("usr/bin/tool"));
    Files.createSymbolicLink(root.resolve("usr/bin/abs-link"), Path.of("/usr/bin/tool"));
    Files.createSymbolicLink(root.resolve("usr/bin/rel-link"), Path.of("../share/doc"));
    Files.createSymbolicLink(root.resolve("usr/bin/long-link"), Path.of("/" + LONG_FILE));
    file(root, "usr/share/doc/deep/nested/dir/readme.txt", "nested\n", 0644);
    file(root, NON_ASCII, "grüße\n", 0644);
    file(root, LONG_FILE, "long\n", 0644);
    file(root, "opt/replace/old.txt", "a later layer replaces this directory\n", 0644);
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Files.setAttribute(tmp, "unix:mode", 01777);
    Path sgid = Files.createDirectories(root.resolve("srv/sgid"));
    Files.setAttribute(sgid, "unix:gid", STAFF);
    Files.setAttribute(sgid, "unix:mode", 02775);
    Path owned = file(root, "srv/sgid/owned.txt", "owned by 1000:50\n", 0640);
    Files.setAttribute(owned, "unix:uid", 1000);
    // A whole second: tar headers without PAX times keep no more.
    Files.setLastModifiedTime(sgid, FileTime.from(SGID_MTIME));
  }

  private static Path file(Path root, String path, String content, int mode) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    // After any owner change: chown clears setuid.
    Files.setAttribute(file, "unix:mode", mode);
    return file;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** The uncompressed layers of the image tagged {@code tag} in an OCI layout, bottom first. */
  private static List<byte[]> layers(Path layout, String tag) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    for (JsonNode descriptor : index.get("manifests")) {
      if (tag.equals(descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        JsonNode manifest = JSON.readTree(blob(layout, descriptor.get("digest").asText()).toFile());
        List<byte[]> layers = new ArrayList<>();
        for (JsonNode layer : manifest.get("layers")) {
          byte[] raw = Files.readAllBytes(blob(layout, layer.get("digest").asText()));
          String mediaType = layer.get("mediaType").asText();
          if (mediaType.endsWith("gzip")) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
              layers.add(in.readAllBytes());
            }
          } else {
            assertThat(mediaType).as("layer media type").endsWith(".tar");
            layers.add(raw);
          }
        }
        return layers;
      }
    }
    throw new IllegalStateException("no image tagged " + tag + " in " + layout);
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  /**
   * A layer's entries as commons-compress reads them (not bootj's reader, which is under test).
   * umoci ends its layers right after the last file's data, which commons-compress calls
   * truncated once it has read every entry.
   */
  private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry entry; (entry = in.getNextEntry()) != null; ) {
        entries.add(entry);
      }
    } catch (IOException e) {
      if (entries.isEmpty() || !String.valueOf(e.getMessage()).startsWith("Truncated")) {
        throw e;
      }
    }
    return entries;
  }

  private static List<String> entryNames(byte[] tar) throws IOException {
    return entries(tar).stream().map(TarArchiveEntry::getName).toList();
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  private static void timing(String builder, String line) {
    synchronized (TIMINGS) {
      TIMINGS.put(builder, line);
    }
    System.out.printf("builder matrix: %-34s %s%n", builder, line);
  }
}

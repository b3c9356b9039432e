package dev.bootj.system.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.bootj.common.BootjException;
import dev.bootj.common.ByteSize;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.RegistryReference;
import dev.bootj.system.esp.MtoolsEsp;
import dev.bootj.system.model.FilesystemType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How an image asks to be installed: the {@code [install]} tables of its
 * {@code /usr/lib/bootj/install.d/*.toml} files, read in file name order, each file overriding the
 * ones before it key by key; then the command line's explicit options override them all. The keys
 * are the long options of {@code install to-disk}:
 *
 * <pre>
 * [install]
 * filesystem = "xfs"                                 # --filesystem: ext4 or xfs
 * slot-size = "3G"                                   # --slot-size: a size, or a number of bytes
 * esp-size = "1G"                                    # --esp-size: at least 34 MiB
 * kargs = ["quiet"]                                  # --karg: after the image's kargs.d
 * target-image = "registry.example/os:stable"        # --target-image
 * enforce-container-sigpolicy = true                 # --enforce-container-sigpolicy
 * </pre>
 *
 * <p>{@code kargs} add up instead of replacing each other (every file's, in order, then the
 * command line's), as bootc's install configuration does, so a derived image adds to its base's.
 * The other install options describe the disk or the machine doing the install ({@code --size},
 * {@code --wipe}, {@code --root-ssh-authorized-keys}, {@code --pull}, registry and signature
 * options) and are not configuration an image may carry: an image must never ask to wipe a disk.
 *
 * <p>Anything else is refused with one line naming the file and the key: an unknown key or table,
 * a value of the wrong type or out of range, a file that is not TOML, or a {@code .toml} entry that
 * is not a regular file. Symbolic links are not followed (neither for the files nor for the
 * directories leading to install.d), so that the configuration read from an image's layers
 * ({@code install print-configuration}) is the one read from its unpacked root ({@code install
 * to-disk}).
 *
 * @param filesystem of the slots and the state partition; null when nothing set it
 * @param slotSizeBytes null when nothing set it (the layout chooses)
 * @param espSizeBytes null when nothing set it ({@link dev.bootj.system.model.PartitionLayout#ESP_SIZE})
 * @param kargs added after the image's kargs.d ones, in order
 * @param targetImage the reference the machine follows; null when nothing set it
 * @param enforceContainerSigpolicy null when nothing set it (not enforced)
 * @param sources for each key set, where its value came from (install.d paths, {@link #COMMAND_LINE}),
 *     in the order they were applied; several for kargs
 */
public record InstallConfiguration(
    FilesystemType filesystem,
    Long slotSizeBytes,
    Long espSizeBytes,
    List<String> kargs,
    RegistryReference targetImage,
    Boolean enforceContainerSigpolicy,
    Map<String, List<String>> sources) {

  /** Where the files are, in the image. */
  public static final String DIRECTORY = "/usr/lib/bootj/install.d";
  /** The source named for values given as options. */
  public static final String COMMAND_LINE = "command line";

  public static final String FILESYSTEM = "filesystem";
  public static final String SLOT_SIZE = "slot-size";
  public static final String ESP_SIZE = "esp-size";
  public static final String KARGS = "kargs";
  public static final String TARGET_IMAGE = "target-image";
  public static final String ENFORCE_CONTAINER_SIGPOLICY = "enforce-container-sigpolicy";
  /** Every key of the {@code [install]} table, in the order they are printed. */
  public static final List<String> KEYS =
      List.of(FILESYSTEM, SLOT_SIZE, ESP_SIZE, KARGS, TARGET_IMAGE, ENFORCE_CONTAINER_SIGPOLICY);

  private static final String TABLE = "install";
  /** Far more than any configuration needs; a bigger file is a mistake, and is not read into memory. */
  static final long MAX_FILE_BYTES = 1 << 20;

  /** Nothing set. */
  public static final InstallConfiguration NONE =
      new InstallConfiguration(null, null, null, List.of(), null, null, Map.of());

  public InstallConfiguration {
    kargs = kargs == null ? List.of() : List.copyOf(kargs);
    Map<String, List<String>> copied = new LinkedHashMap<>();
    for (String key : KEYS) {
      if (sources.containsKey(key)) {
        copied.put(key, List.copyOf(sources.get(key)));
      }
    }
    sources = java.util.Collections.unmodifiableMap(copied);
  }

  /**
   * The options given on the command line, as a configuration whose source is {@link
   * #COMMAND_LINE}; null (or an empty kargs list) for an option not given.
   */
  public static InstallConfiguration commandLine(FilesystemType filesystem, Long slotSizeBytes, Long espSizeBytes,
      List<String> kargs, RegistryReference targetImage, Boolean enforceContainerSigpolicy) {
    Map<String, List<String>> sources = new LinkedHashMap<>();
    List<String> from = List.of(COMMAND_LINE);
    putIf(sources, FILESYSTEM, filesystem, from);
    putIf(sources, SLOT_SIZE, slotSizeBytes, from);
    putIf(sources, ESP_SIZE, espSizeBytes, from);
    if (kargs != null && !kargs.isEmpty()) {
      sources.put(KARGS, from);
    }
    putIf(sources, TARGET_IMAGE, targetImage, from);
    putIf(sources, ENFORCE_CONTAINER_SIGPOLICY, enforceContainerSigpolicy, from);
    return new InstallConfiguration(filesystem, slotSizeBytes, espSizeBytes, kargs, targetImage,
        enforceContainerSigpolicy, sources);
  }

  private static void putIf(Map<String, List<String>> sources, String key, Object value, List<String> from) {
    if (value != null) {
      sources.put(key, from);
    }
  }

  /**
   * This configuration overridden by {@code later}: each key {@code later} sets replaces this one's,
   * except kargs, which are appended.
   */
  public InstallConfiguration then(InstallConfiguration later) {
    Map<String, List<String>> merged = new LinkedHashMap<>(sources);
    later.sources.forEach((key, from) -> {
      if (key.equals(KARGS)) {
        List<String> both = new ArrayList<>(merged.getOrDefault(KARGS, List.of()));
        both.addAll(from);
        merged.put(KARGS, both);
      } else {
        merged.put(key, from);
      }
    });
    List<String> allKargs = new ArrayList<>(kargs);
    allKargs.addAll(later.kargs);
    return new InstallConfiguration(
        later.filesystem != null ? later.filesystem : filesystem,
        later.slotSizeBytes != null ? later.slotSizeBytes : slotSizeBytes,
        later.espSizeBytes != null ? later.espSizeBytes : espSizeBytes,
        allKargs,
        later.targetImage != null ? later.targetImage : targetImage,
        later.enforceContainerSigpolicy != null ? later.enforceContainerSigpolicy : enforceContainerSigpolicy,
        merged);
  }

  /** Whether no key is set. */
  public boolean isEmpty() {
    return sources.isEmpty();
  }

  /** The filesystem to install with: the one set, else ext4. */
  public FilesystemType filesystemOrDefault() {
    return filesystem != null ? filesystem : FilesystemType.EXT4;
  }

  /** Whether the signature policy must require a signature for the image (unset: no). */
  public boolean enforcesContainerSigpolicy() {
    return Boolean.TRUE.equals(enforceContainerSigpolicy);
  }

  /** The install.d files whose values were used, in the order they were read (no command line). */
  public List<String> files() {
    List<String> files = new ArrayList<>();
    sources.values().forEach(from -> from.stream()
        .filter(f -> !f.equals(COMMAND_LINE) && !files.contains(f)).forEach(files::add));
    files.sort(null);
    return files;
  }

  /**
   * Reads and merges the install.d files of the image unpacked at {@code rootfs}; {@link #NONE}
   * when it has none. This is also the check {@code bootj container lint} runs on a root being
   * built: it throws the same one-line {@link BootjException} an install would.
   */
  public static InstallConfiguration load(Path rootfs) throws BootjException {
    return fromFiles(readDirectory(rootfs));
  }

  /**
   * Validates the install.d directory of {@code rootfs} (for {@code bootj container lint}): throws
   * the {@link BootjException} an install would meet, naming the file and the key; returns the
   * image paths of the files read, in order (empty when there is no install.d).
   */
  public static List<String> validate(Path rootfs) throws BootjException {
    SortedMap<String, String> files = readDirectory(rootfs);
    fromFiles(files);
    return List.copyOf(files.keySet());
  }

  /**
   * Merges install.d files already read: image path ({@code /usr/lib/bootj/install.d/NAME.toml})
   * to text. The map's order is the merge order; pass a sorted map.
   */
  public static InstallConfiguration fromFiles(SortedMap<String, String> textByPath) throws BootjException {
    InstallConfiguration merged = NONE;
    for (Map.Entry<String, String> file : textByPath.entrySet()) {
      merged = merged.then(parse(file.getKey(), file.getValue()));
    }
    return merged;
  }

  /** Whether a directory entry of install.d is one of its files. */
  public static boolean isConfigurationFile(String name) {
    return name.endsWith(".toml");
  }

  /** The refusal of a path on the way to, or in, install.d that is not what bootj reads. */
  public static BootjException notReadable(String imagePath, String what) {
    return new BootjException(BootjException.Kind.SYSTEM, imagePath + " in the image " + what
        + "; bootj reads " + DIRECTORY + "/*.toml as regular files under real directories (no symbolic links)");
  }

  /** The refusal of an install.d file larger than {@link #MAX_FILE_BYTES}. */
  static BootjException tooLarge(String imagePath, long size) {
    return notReadable(imagePath, "is " + ByteSize.format(size) + ", more than an install configuration can be ("
        + ByteSize.format(MAX_FILE_BYTES) + ")");
  }

  /** A file's bytes as text; TOML is UTF-8, and anything else is refused rather than guessed at. */
  static String text(String imagePath, byte[] bytes) throws BootjException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw invalid(imagePath, null, "is not UTF-8 text, as TOML must be");
    }
  }

  // The files of install.d under an unpacked root, by image path, in name order.
  private static SortedMap<String, String> readDirectory(Path rootfs) throws BootjException {
    SortedMap<String, String> files = new TreeMap<>();
    Path directory = rootfs;
    StringBuilder imagePath = new StringBuilder();
    for (String component : DIRECTORY.substring(1).split("/")) {
      directory = directory.resolve(component);
      imagePath.append('/').append(component);
      BasicFileAttributes attributes = attributesOrNull(directory, imagePath.toString());
      if (attributes == null) {
        return files;
      }
      if (!attributes.isDirectory()) {
        throw notReadable(imagePath.toString(), attributes.isSymbolicLink() ? "is a symbolic link" : "is not a directory");
      }
    }
    List<Path> entries;
    try (Stream<Path> listed = Files.list(directory)) {
      entries = listed.filter(p -> isConfigurationFile(p.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot list " + DIRECTORY + " in the image: " + e.getMessage(), e);
    }
    for (Path entry : entries) {
      String path = DIRECTORY + "/" + entry.getFileName();
      BasicFileAttributes attributes = attributesOrNull(entry, path);
      if (attributes == null) {
        continue;
      }
      if (!attributes.isRegularFile()) {
        throw notReadable(path, attributes.isSymbolicLink() ? "is a symbolic link" : "is not a regular file");
      }
      if (attributes.size() > MAX_FILE_BYTES) {
        throw tooLarge(path, attributes.size());
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(entry);
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, "cannot read " + path + " in the image: " + e.getMessage(), e);
      }
      files.put(path, text(path, bytes));
    }
    return files;
  }

  private static BasicFileAttributes attributesOrNull(Path path, String imagePath) throws BootjException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot read " + imagePath + " in the image: " + e.getMessage(), e);
    }
  }

  /** One install.d file: its {@code [install]} table, as a configuration whose source is {@code file}. */
  static InstallConfiguration parse(String file, String text) throws BootjException {
    JsonNode document;
    try {
      document = new TomlMapper().readTree(text);
    } catch (IOException e) {
      throw invalid(file, null, "is not valid TOML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (document == null || document.isMissingNode() || document.isNull()) {
      return NONE;
    }
    for (Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals(TABLE)) {
        throw invalid(file, name, "is not a table or key bootj knows: the file holds one [install] table");
      }
    }
    JsonNode table = document.get(TABLE);
    if (table == null) {
      return NONE;
    }
    if (!table.isObject()) {
      throw invalid(file, TABLE, "must be a table ([install]), not a value");
    }
    for (Iterator<String> names = table.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        throw invalid(file, TABLE + "." + name, "is not a key bootj knows (known: " + String.join(", ", KEYS) + ")");
      }
    }
    Map<String, List<String>> sources = new LinkedHashMap<>();
    table.fieldNames().forEachRemaining(name -> sources.put(name, List.of(file)));
    return new InstallConfiguration(
        table.has(FILESYSTEM) ? filesystem(file, table.get(FILESYSTEM)) : null,
        table.has(SLOT_SIZE) ? size(file, SLOT_SIZE, table.get(SLOT_SIZE)) : null,
        table.has(ESP_SIZE) ? espSize(file, table.get(ESP_SIZE)) : null,
        table.has(KARGS) ? kargs(file, table.get(KARGS)) : List.of(),
        table.has(TARGET_IMAGE) ? targetImage(file, table.get(TARGET_IMAGE)) : null,
        table.has(ENFORCE_CONTAINER_SIGPOLICY) ? bool(file, ENFORCE_CONTAINER_SIGPOLICY,
            table.get(ENFORCE_CONTAINER_SIGPOLICY)) : null,
        sources);
  }

  private static FilesystemType filesystem(String file, JsonNode value) throws BootjException {
    if (value.isTextual()) {
      for (FilesystemType type : FilesystemType.values()) {
        if (type.fstabName().equals(value.asText())) {
          return type;
        }
      }
    }
    throw invalidValue(file, FILESYSTEM, "must be \"ext4\" or \"xfs\", not " + value);
  }

  private static long size(String file, String key, JsonNode value) throws BootjException {
    if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() > 0) {
      return value.asLong();
    }
    if (value.isTextual()) {
      try {
        return ByteSize.parse(value.asText());
      } catch (IllegalArgumentException e) {
        // reported below, with the key
      }
    }
    throw invalidValue(file, key, "must be a size such as \"8G\" or \"512M\", or a number of bytes, not " + value);
  }

  private static long espSize(String file, JsonNode value) throws BootjException {
    long bytes = size(file, ESP_SIZE, value);
    if (bytes < MtoolsEsp.MINIMUM_SIZE_BYTES) {
      throw invalidValue(file, ESP_SIZE, "is " + ByteSize.format(bytes) + ", smaller than the smallest FAT32 ESP ("
          + ByteSize.format(MtoolsEsp.MINIMUM_SIZE_BYTES) + ")");
    }
    return bytes;
  }

  private static List<String> kargs(String file, JsonNode value) throws BootjException {
    if (!value.isArray()) {
      throw invalidValue(file, KARGS, "must be a list of strings, such as [\"quiet\"], not " + value);
    }
    List<String> kargs = new ArrayList<>();
    for (JsonNode karg : value) {
      if (!karg.isTextual() || karg.asText().isBlank() || karg.asText().chars().anyMatch(Character::isISOControl)) {
        throw invalidValue(file, KARGS, "must hold kernel arguments as non-empty strings on one line, not " + karg);
      }
      kargs.add(karg.asText());
    }
    return kargs;
  }

  private static RegistryReference targetImage(String file, JsonNode value) throws BootjException {
    if (value.isTextual()) {
      ImageReference reference;
      try {
        reference = ImageReference.parse(value.asText());
      } catch (IllegalArgumentException e) {
        throw invalidValue(file, TARGET_IMAGE, "is not an image reference: " + e.getMessage());
      }
      if (reference instanceof RegistryReference registry) {
        return registry;
      }
      throw invalidValue(file, TARGET_IMAGE, "must name an image in a registry (REGISTRY/REPO:TAG), which the machine"
          + " follows for its updates, not " + value);
    }
    throw invalidValue(file, TARGET_IMAGE, "must be an image reference such as \"registry.example/os:stable\", not " + value);
  }

  private static boolean bool(String file, String key, JsonNode value) throws BootjException {
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    throw invalidValue(file, key, "must be true or false, not " + value);
  }

  private static BootjException invalidValue(String file, String key, String why) {
    return invalid(file, TABLE + "." + key, why);
  }

  /** One line naming the file and the key ("install.slot-size"); key null for the file as a whole. */
  private static BootjException invalid(String file, String key, String why) {
    String where = key == null ? " " : ": '" + key + "' ";
    return new BootjException(BootjException.Kind.SYSTEM, file + where + why + "; fix the file in the image");
  }

  /** A size as the files write it, exactly: "3G", "512M", "100K", or bytes. */
  public static String formatSize(long bytes) {
    String[] units = {"T", "G", "M", "K"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (units.length - i));
      if (bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return String.valueOf(bytes);
  }

  /**
   * The configuration as an {@code [install]} table, each key with the files it came from as a
   * comment: what {@code install print-configuration} prints, itself a valid install.d file.
   */
  public String toToml() {
    StringBuilder out = new StringBuilder("[install]\n");
    for (String key : KEYS) {
      if (!sources.containsKey(key)) {
        continue;
      }
      out.append(key).append(" = ").append(tomlValue(key)).append("    # ")
          .append(String.join(", ", sources.get(key))).append('\n');
    }
    return out.toString();
  }

  private String tomlValue(String key) {
    return switch (key) {
      case FILESYSTEM -> quoted(filesystem.fstabName());
      case SLOT_SIZE -> quoted(formatSize(slotSizeBytes));
      case ESP_SIZE -> quoted(formatSize(espSizeBytes));
      case KARGS -> "[" + String.join(", ", kargs.stream().map(InstallConfiguration::quoted).toList()) + "]";
      case TARGET_IMAGE -> quoted(targetImage.toString());
      case ENFORCE_CONTAINER_SIGPOLICY -> String.valueOf(enforceContainerSigpolicy).toLowerCase(Locale.ROOT);
      default -> throw new IllegalArgumentException(key);
    };
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

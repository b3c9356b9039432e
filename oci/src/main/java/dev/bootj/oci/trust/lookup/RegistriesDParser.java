package dev.bootj.oci.trust.lookup;

import dev.bootj.common.BootjException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a containers-registries.d(5) directory: every {@code *.yaml} file in it, merged. As in
 * containers/image, a missing directory is no configuration, unknown keys are ignored (newer
 * tools add keys older ones must skip), and one scope, or {@code default-docker}, given in two
 * files is an error naming both. Stricter than containers/image where it can only help: YAML
 * that does not parse, a value of the wrong type, a URL that is not absolute, and a file with
 * several YAML documents are errors naming the file and key.
 */
final class RegistriesDParser {

  static final String DEFAULT_DOCKER = "default-docker";
  static final String DOCKER = "docker";

  private static final String SEE_MAN_PAGE = "fix it (see containers-registries.d(5))";

  private final Map<String, SignatureStorageSection> docker = new LinkedHashMap<>();
  private SignatureStorageSection defaultDocker;

  private RegistriesDParser() {}

  /** The merged configuration of {@code directory}; nothing configured when it does not exist. */
  static RegistriesDParser parseDirectory(Path directory) throws BootjException {
    RegistriesDParser parser = new RegistriesDParser();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.yaml")) {
      entries.forEach(files::add);
    } catch (NoSuchFileException e) {
      return parser;
    } catch (NotDirectoryException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "the registries.d directory " + directory
          + " is not a directory; name a directory of *.yaml files with --registries.d");
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.SYSTEM, "cannot list the registries.d directory " + directory
          + ": " + e.getMessage(), e);
    }
    // Sorted, so that which of two conflicting files is named first does not depend on the file system.
    files.sort(null);
    for (Path file : files) {
      String text;
      try {
        // Strict decoding: a stray byte is an error, not a replacement character in a URL.
        text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
      } catch (NoSuchFileException e) {
        continue; // removed since the listing, as containers/image tolerates
      } catch (CharacterCodingException e) {
        throw parser.invalid(file.toString(), "", "it is not UTF-8 text");
      } catch (IOException e) {
        throw new BootjException(BootjException.Kind.SYSTEM, "cannot read the registries.d file " + file + ": " + e.getMessage(), e);
      }
      parser.add(file.toString(), text);
    }
    return parser;
  }

  /** Parses one file's text into {@code parser}; for tests, which have no directory. */
  static RegistriesDParser parseTexts(Map<String, String> fileToText) throws BootjException {
    RegistriesDParser parser = new RegistriesDParser();
    for (Map.Entry<String, String> e : fileToText.entrySet()) {
      parser.add(e.getKey(), e.getValue());
    }
    return parser;
  }

  SignatureStorageSection defaultDocker() {
    return defaultDocker;
  }

  Map<String, SignatureStorageSection> docker() {
    return docker;
  }

  private void add(String file, String text) throws BootjException {
    Object root = load(file, text);
    if (root == null) {
      return; // an empty file configures nothing
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw invalid(file, "", "the file must be a YAML mapping with the keys default-docker and docker, not " + describe(root));
    }
    for (Map.Entry<?, ?> entry : top.entrySet()) {
      if (DEFAULT_DOCKER.equals(entry.getKey())) {
        // A null section is absent, as containers/image decodes it into a nil pointer.
        if (entry.getValue() != null) {
          if (defaultDocker != null) {
            throw new BootjException(BootjException.Kind.SYSTEM, "registries.d: default-docker is defined both in "
                + defaultDocker.file() + " and in " + file + "; keep one of them");
          }
          defaultDocker = section(file, DEFAULT_DOCKER, DEFAULT_DOCKER, entry.getValue());
        }
      } else if (DOCKER.equals(entry.getKey())) {
        addDockerScopes(file, entry.getValue());
      }
      // Other top-level keys are ignored, as containers/image ignores them.
    }
  }

  private void addDockerScopes(String file, Object value) throws BootjException {
    if (value == null) {
      return;
    }
    if (!(value instanceof Map<?, ?> scopes)) {
      throw invalid(file, DOCKER, "must be a mapping from scopes (host[:port][/namespace...]) to sections, not " + describe(value));
    }
    for (Map.Entry<?, ?> entry : scopes.entrySet()) {
      if (!(entry.getKey() instanceof String scope)) {
        throw invalid(file, DOCKER, "the scope " + entry.getKey() + " is not a string; write it in quotes");
      }
      SignatureStorageSection earlier = docker.get(scope);
      if (earlier != null) {
        throw new BootjException(BootjException.Kind.SYSTEM, "registries.d: the docker scope \"" + scope
            + "\" is defined both in " + earlier.file() + " and in " + file + "; keep one of them");
      }
      docker.put(scope, section(file, scope, DOCKER + ".\"" + scope + "\"", entry.getValue()));
    }
  }

  private SignatureStorageSection section(String file, String scope, String where, Object value) throws BootjException {
    if (value == null) {
      return new SignatureStorageSection(file, scope, null, null, null);
    }
    if (!(value instanceof Map<?, ?> keys)) {
      throw invalid(file, where, "must be a mapping with lookaside, lookaside-staging and use-sigstore-attachments, not " + describe(value));
    }
    URI lookaside = url(file, where, keys, "lookaside");
    URI lookasideStaging = url(file, where, keys, "lookaside-staging");
    URI sigstore = url(file, where, keys, "sigstore");
    URI sigstoreStaging = url(file, where, keys, "sigstore-staging");
    Boolean attachments = null;
    Object flag = keys.get("use-sigstore-attachments");
    if (flag instanceof Boolean b) {
      attachments = b;
    } else if (flag != null) {
      throw invalid(file, where + ".use-sigstore-attachments", "must be true or false, not " + describe(flag));
    }
    // The new names win over the old ones within a section, as in containers/image.
    return new SignatureStorageSection(file, scope,
        lookaside != null ? lookaside : sigstore,
        lookasideStaging != null ? lookasideStaging : sigstoreStaging,
        attachments);
  }

  private URI url(String file, String where, Map<?, ?> keys, String key) throws BootjException {
    Object value = keys.get(key);
    if (value == null) {
      return null;
    }
    String field = where + "." + key;
    if (!(value instanceof String text)) {
      throw invalid(file, field, "must be a URL string, not " + describe(value));
    }
    if (text.isEmpty()) {
      return null; // containers/image treats an empty URL as no URL
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw invalid(file, field, "'" + text + "' is not a URL (" + e.getReason() + ")");
    }
    if (!uri.isAbsolute() || uri.isOpaque()) {
      throw invalid(file, field, "'" + text + "' is not an absolute URL such as file:///var/lib/containers/sigstore or https://host/path");
    }
    return uri;
  }

  private Object load(String file, String text) throws BootjException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try {
      return new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      if (String.valueOf(e.getContext()).contains("expected a single document")) {
        throw invalid(file, "", "it holds more than one YAML document (---); containers/image reads only the first, so keep one");
      }
      String at = e.getProblemMark() != null ? " at line " + (e.getProblemMark().getLine() + 1) : "";
      throw invalid(file, "", "it is not valid YAML" + at + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw invalid(file, "", "it is not valid YAML: " + firstLine(e.getMessage()));
    }
  }

  private BootjException invalid(String file, String field, String problem) {
    return new BootjException(BootjException.Kind.SYSTEM,
        file + ": " + (field.isEmpty() ? "" : field + ": ") + problem + "; " + SEE_MAN_PAGE);
  }

  private static String describe(Object value) {
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String s) {
      return "the string '" + s + "'";
    }
    return "the " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "unknown error";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}

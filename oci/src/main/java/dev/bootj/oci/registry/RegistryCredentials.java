package dev.bootj.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.Credential;
import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.RegistryReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the user name and password for a registry the way podman does: an explicit {@code --creds},
 * else the first auth file that exists of {@code --authfile}, {@code $REGISTRY_AUTH_FILE}, {@code
 * $XDG_RUNTIME_DIR/containers/auth.json}, {@code ~/.config/containers/auth.json} and {@code
 * ~/.docker/config.json}. Within a file the most specific key wins: {@code host/repo/path}, then
 * shorter prefixes, then {@code host}. Credential helpers ({@code credHelpers}, {@code credsStore})
 * are not run.
 */
public final class RegistryCredentials {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String explicit;
  private final List<Path> authFiles;

  RegistryCredentials(String explicit, List<Path> authFiles) {
    this.explicit = explicit;
    this.authFiles = authFiles;
  }

  /**
   * @param creds {@code user:password} given on the command line, or null
   * @param authFile an auth file given on the command line, or null
   */
  public static RegistryCredentials fromEnvironment(String creds, Path authFile, Map<String, String> env) {
    List<Path> files = new ArrayList<>();
    if (authFile != null) {
      files.add(authFile);
    }
    if (env.get("REGISTRY_AUTH_FILE") != null) {
      files.add(Path.of(env.get("REGISTRY_AUTH_FILE")));
    }
    if (env.get("XDG_RUNTIME_DIR") != null) {
      files.add(Path.of(env.get("XDG_RUNTIME_DIR"), "containers", "auth.json"));
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    String configHome = env.getOrDefault("XDG_CONFIG_HOME", home + "/.config");
    files.add(Path.of(configHome, "containers", "auth.json"));
    files.add(Path.of(home, ".docker", "config.json"));
    return new RegistryCredentials(creds, files);
  }

  public Optional<Credential> lookup(RegistryReference reference) throws BootjException {
    if (explicit != null) {
      int colon = explicit.indexOf(':');
      return Optional.of(colon < 0 ? Credential.from(explicit, "") : Credential.from(explicit.substring(0, colon), explicit.substring(colon + 1)));
    }
    for (Path file : authFiles) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      // Like podman: the first auth file that exists is the only one consulted.
      return fromFile(file, reference);
    }
    return Optional.empty();
  }

  private static Optional<Credential> fromFile(Path file, RegistryReference reference) throws BootjException {
    JsonNode auths;
    try {
      auths = JSON.readTree(file.toFile()).path("auths");
    } catch (IOException e) {
      throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "cannot read the auth file " + file + ": " + e.getMessage(), e);
    }
    for (String key : candidateKeys(reference)) {
      JsonNode entry = auths.get(key);
      if (entry == null) {
        entry = auths.get("https://" + key);
      }
      if (entry != null && entry.hasNonNull("auth")) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(entry.get("auth").asText()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "the auth entry for " + key + " in " + file + " is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new BootjException(BootjException.Kind.IMAGE_ACCESS, "the auth entry for " + key + " in " + file + " is not user:password");
        }
        return Optional.of(Credential.from(decoded.substring(0, colon), decoded.substring(colon + 1)));
      }
    }
    return Optional.empty();
  }

  static List<String> candidateKeys(RegistryReference reference) {
    List<String> keys = new ArrayList<>();
    String path = reference.registry() + "/" + reference.repository();
    while (true) {
      keys.add(path);
      int slash = path.lastIndexOf('/');
      if (slash < 0) {
        break;
      }
      path = path.substring(0, slash);
    }
    if (reference.registry().equals(RegistryReference.DOCKER_HUB)) {
      keys.add("index.docker.io/v1/");
      keys.add("https://index.docker.io/v1/");
      keys.add("index.docker.io");
      keys.add("registry-1.docker.io");
    }
    return keys;
  }
}

package dev.bootj.system.install;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.bootj.system.status.HostStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code bootj install print-configuration --json} prints; schema
 * docs/schemas/install-configuration-v1.schema.json. {@code install} holds the keys the image's
 * install.d files set, under their TOML names, sizes in bytes; {@code sources} says which files
 * each came from, in the order they were applied.
 */
@JsonPropertyOrder({"apiVersion", "kind", "image", "digest", "directory", "files", "install", "sources"})
public record InstallConfigurationReport(String apiVersion, String kind, String image, String digest, String directory,
    List<String> files, Map<String, Object> install, Map<String, List<String>> sources) {

  public static final String KIND = "InstallConfiguration";

  public static InstallConfigurationReport of(InstallConfigurationReader.Result result) {
    InstallConfiguration config = result.configuration();
    Map<String, Object> install = new LinkedHashMap<>();
    for (String key : config.sources().keySet()) {
      install.put(key, switch (key) {
        case InstallConfiguration.FILESYSTEM -> config.filesystem().fstabName();
        case InstallConfiguration.SLOT_SIZE -> config.slotSizeBytes();
        case InstallConfiguration.ESP_SIZE -> config.espSizeBytes();
        case InstallConfiguration.KARGS -> config.kargs();
        case InstallConfiguration.TARGET_IMAGE -> config.targetImage().toString();
        case InstallConfiguration.ENFORCE_CONTAINER_SIGPOLICY -> config.enforceContainerSigpolicy();
        default -> throw new IllegalStateException(key);
      });
    }
    return new InstallConfigurationReport(HostStatus.API_VERSION, KIND, result.image().reference(),
        result.image().manifestDigest().toString(), InstallConfiguration.DIRECTORY, result.files(), install,
        config.sources());
  }
}

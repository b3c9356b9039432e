package dev.bootj.system.autoupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdatePolicyTest {

  @TempDir Path root;

  private void write(Path file, String text) throws Exception {
    Path path = root.resolve(file.toString().substring(1));
    Files.createDirectories(path.getParent());
    Files.writeString(path, text);
  }

  @Test
  void withoutFilesTheMachineOnlyChecks() throws Exception {
    UpdatePolicy policy = UpdatePolicy.load(root);
    assertThat(policy.mode()).isEqualTo(UpdatePolicy.Mode.CHECK);
    assertThat(policy.window()).isNull();
    assertThat(policy.sources()).isEmpty();
  }

  @Test
  void theMachinesFileOverridesTheImagesKeyByKey() throws Exception {
    write(UpdatePolicy.IMAGE_DEFAULTS, "# shipped\nmode = \"apply\"\nwindow = \"Sat,Sun 02:00-05:00\"\n");
    write(UpdatePolicy.MACHINE_SETTINGS, "mode = \"stage\"\n");
    UpdatePolicy policy = UpdatePolicy.load(root);
    assertThat(policy.mode()).isEqualTo(UpdatePolicy.Mode.STAGE);
    assertThat(policy.window().contains(LocalDateTime.of(2026, 12, 5, 3, 0))).isTrue();
    assertThat(policy.sources()).containsExactly(UpdatePolicy.IMAGE_DEFAULTS, UpdatePolicy.MACHINE_SETTINGS);

    write(UpdatePolicy.MACHINE_SETTINGS, "window = [\"Mon 01:00-02:00\", \"Thu 01:00-02:00\"]\n");
    policy = UpdatePolicy.load(root);
    assertThat(policy.mode()).isEqualTo(UpdatePolicy.Mode.APPLY);
    assertThat(policy.window().spans()).containsExactly("Mon 01:00-02:00", "Thu 01:00-02:00");
  }

  @Test
  void aMistakeNamesTheFileAndTheKey() throws Exception {
    write(UpdatePolicy.MACHINE_SETTINGS, "mode = \"aply\"\n");
    assertThatThrownBy(() -> UpdatePolicy.load(root)).isInstanceOf(BootjException.class)
        .hasMessageStartingWith("/etc/bootj/update.toml: 'mode' must be").hasMessageContaining("\"aply\"");
    write(UpdatePolicy.MACHINE_SETTINGS, "mdoe = \"apply\"\n");
    assertThatThrownBy(() -> UpdatePolicy.load(root)).hasMessageContaining("'mdoe' is not a key bootj knows");
    write(UpdatePolicy.MACHINE_SETTINGS, "window = \"Sat 2am\"\n");
    assertThatThrownBy(() -> UpdatePolicy.load(root)).hasMessageContaining("'window' \"Sat 2am\" is not a span");
    write(UpdatePolicy.MACHINE_SETTINGS, "window = 3\n");
    assertThatThrownBy(() -> UpdatePolicy.load(root)).hasMessageContaining("'window' must be a string or a list");
    write(UpdatePolicy.MACHINE_SETTINGS, "mode = \n");
    assertThatThrownBy(() -> UpdatePolicy.load(root)).hasMessageContaining("/etc/bootj/update.toml is not valid TOML");
  }
}

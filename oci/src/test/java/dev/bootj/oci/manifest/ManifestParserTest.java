package dev.bootj.oci.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);

  private final ManifestParser parser = new ManifestParser("manifest of test");

  private ManifestDocument parse(String json) throws BootjException {
    return parser.parseDocument(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void readsAnOciManifestIgnoringFieldsItDoesNotKnow() throws Exception {
    ManifestDocument doc = parse("{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json',"
        + "'artifactType':'application/vnd.example','subject':{'mediaType':'x','digest':'" + C + "','size':1},"
        + "'config':{'mediaType':'application/vnd.oci.image.config.v1+json','digest':'" + A + "','size':7},"
        + "'layers':[{'mediaType':'application/vnd.oci.image.layer.v1.tar+zstd','digest':'" + B + "','size':1000,'data':'ignored'}],"
        + "'annotations':{'org.opencontainers.image.version':'1'}}");
    ImageManifest m = (ImageManifest) doc;
    assertThat(m.config().digest()).hasToString(A);
    assertThat(m.config().size()).isEqualTo(7);
    assertThat(m.layers()).singleElement().satisfies(l -> {
      assertThat(l.digest()).hasToString(B);
      assertThat(l.mediaType()).endsWith("tar+zstd");
    });
    assertThat(m.annotations()).containsEntry("org.opencontainers.image.version", "1");
    assertThat(m.layerBytes()).isEqualTo(1000);
  }

  @Test
  void ociManifestWithoutMediaTypeIsRecognisedByShape() throws Exception {
    assertThat(parse("{'schemaVersion':2,'config':{'mediaType':'c','digest':'" + A + "','size':1},'layers':[]}"))
        .isInstanceOf(ImageManifest.class);
    assertThat(parse("{'schemaVersion':2,'manifests':[]}")).isInstanceOf(ImageIndex.class);
  }

  @Test
  void readsADockerManifestList() throws Exception {
    ImageIndex index = (ImageIndex) parse("{'schemaVersion':2,'mediaType':'application/vnd.docker.distribution.manifest.list.v2+json',"
        + "'manifests':[{'mediaType':'application/vnd.docker.distribution.manifest.v2+json','digest':'" + A + "','size':1,"
        + "'platform':{'os':'linux','architecture':'amd64'}}]}");
    assertThat(index.manifests()).singleElement().satisfies(d -> assertThat(d.platform()).isEqualTo(new Platform("linux", "amd64", null)));
  }

  @Test
  void refusesSchemaOne() {
    assertThatThrownBy(() -> parse("{'schemaVersion':1,'name':'x'}"))
        .isInstanceOf(BootjException.class).hasMessageContaining("schema 1");
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertThatThrownBy(() -> parse("{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json',"
        + "'config':{'mediaType':'c','digest':'sha256:xyz','size':1},'layers':[]}"))
        .isInstanceOf(BootjException.class).hasMessageContaining("config.digest");
    assertThatThrownBy(() -> parse("{'schemaVersion':2,'mediaType':'application/vnd.oci.image.manifest.v1+json',"
        + "'config':{'mediaType':'c','digest':'" + A + "'},'layers':[]}"))
        .isInstanceOf(BootjException.class).hasMessageContaining("config.size");
    assertThatThrownBy(() -> parse("not json")).isInstanceOf(BootjException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("{'schemaVersion':2,'mediaType':'text/plain'}"))
        .isInstanceOf(BootjException.class).hasMessageContaining("text/plain");
  }

  @Test
  void readsTheConfigParts() throws Exception {
    ImageConfig config = parser.parseConfig(("{'architecture':'arm64','os':'linux','variant':'v8','created':'2026-01-01T00:00:00Z',"
        + "'config':{'Labels':{'org.opencontainers.image.version':'2'}},"
        + "'rootfs':{'type':'layers','diff_ids':['" + A + "','" + B + "']}}").replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    assertThat(config.platform()).isEqualTo(new Platform("linux", "arm64", "v8"));
    assertThat(config.labels()).containsEntry("org.opencontainers.image.version", "2");
    assertThat(config.diffIds()).hasSize(2);
    assertThat(config.created()).isEqualTo("2026-01-01T00:00:00Z");
  }
}

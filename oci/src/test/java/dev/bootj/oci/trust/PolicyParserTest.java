package dev.bootj.oci.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bootj.common.BootjException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {

  private static final String FILE = "/etc/containers/policy.json";

  private static Policy parse(String json) throws PolicyFormatException {
    return PolicyParser.parse(json.replace('\'', '"'), FILE);
  }

  /** Parses a policy whose only docker scope "r.example/os" holds {@code requirement}. */
  private static Requirement only(String requirement) throws PolicyFormatException {
    Policy p = parse("{'default':[{'type':'reject'}],'transports':{'docker':{'r.example/os':[" + requirement + "]}}}");
    return p.transports().get("docker").get("r.example/os").get(0);
  }

  private static PolicyFormatException refusal(String json) {
    try {
      parse(json);
    } catch (PolicyFormatException e) {
      assertThat(e.kind()).isEqualTo(BootjException.Kind.SYSTEM);
      assertThat(e.getMessage()).startsWith(FILE + ": ").doesNotContain("\n");
      return e;
    }
    throw new AssertionError("accepted: " + json);
  }

  private static PolicyFormatException requirementRefusal(String requirement) {
    return refusal("{'default':[{'type':'reject'}],'transports':{'docker':{'r.example/os':[" + requirement + "]}}}");
  }

  @Test
  void parsesTheSimpleRequirementsAndScopes() throws Exception {
    Policy p = parse("{'default':[{'type':'insecureAcceptAnything'}],"
        + "'transports':{'docker':{'':[{'type':'reject'}],'r.example':[{'type':'insecureAcceptAnything'},{'type':'reject'}]},"
        + "'oci':{'/srv/images':[{'type':'reject'}]},'docker-daemon':{'':[{'type':'insecureAcceptAnything'}]}}}");
    assertThat(p.defaultRequirements()).containsExactly(new Requirement.InsecureAcceptAnything());
    assertThat(p.transports().get("docker").get("")).containsExactly(new Requirement.Reject());
    assertThat(p.transports().get("docker").get("r.example"))
        .containsExactly(new Requirement.InsecureAcceptAnything(), new Requirement.Reject());
    assertThat(p.transports().get("oci").get("/srv/images")).containsExactly(new Requirement.Reject());
    assertThat(p.transports()).containsKey("docker-daemon");
  }

  @Test
  void signedByWithEachKeySourceDefaultsToMatchRepoDigestOrExact() throws Exception {
    Requirement.SignedBy path = (Requirement.SignedBy) only("{'type':'signedBy','keyType':'GPGKeys','keyPath':'/k.gpg'}");
    assertThat(path.keys()).isEqualTo(new KeySource.Files("keyPath", List.of(Path.of("/k.gpg"))));
    assertThat(path.signedIdentity()).isEqualTo(new SignedIdentity.MatchRepoDigestOrExact());

    Requirement.SignedBy paths = (Requirement.SignedBy) only(
        "{'type':'signedBy','keyType':'GPGKeys','keyPaths':['/a.gpg','/b.gpg']}");
    assertThat(paths.keys()).isEqualTo(new KeySource.Files("keyPaths", List.of(Path.of("/a.gpg"), Path.of("/b.gpg"))));

    Requirement.SignedBy data = (Requirement.SignedBy) only("{'type':'signedBy','keyType':'GPGKeys','keyData':'aGVsbG8='}");
    KeySource.Inline inline = (KeySource.Inline) data.keys();
    assertThat(inline.field()).isEqualTo("keyData");
    assertThat(new String(inline.keys().get(0), StandardCharsets.UTF_8)).isEqualTo("hello");
  }

  @Test
  void sigstoreSignedWithEachKeySource() throws Exception {
    Requirement.SigstoreSigned path = (Requirement.SigstoreSigned) only(
        "{'type':'sigstoreSigned','keyPath':'/c.pub','signedIdentity':{'type':'matchRepository'}}");
    assertThat(path.keys()).isEqualTo(new KeySource.Files("keyPath", List.of(Path.of("/c.pub"))));
    assertThat(path.signedIdentity()).isEqualTo(new SignedIdentity.MatchRepository());

    Requirement.SigstoreSigned paths = (Requirement.SigstoreSigned) only("{'type':'sigstoreSigned','keyPaths':['/a','/b']}");
    assertThat(((KeySource.Files) paths.keys()).paths()).hasSize(2);
    assertThat(paths.signedIdentity()).isEqualTo(new SignedIdentity.MatchRepoDigestOrExact());

    Requirement.SigstoreSigned data = (Requirement.SigstoreSigned) only("{'type':'sigstoreSigned','keyData':'YWJj\\nZA=='}");
    assertThat(new String(((KeySource.Inline) data.keys()).keys().get(0), StandardCharsets.UTF_8)).isEqualTo("abcd");

    Requirement.SigstoreSigned datas = (Requirement.SigstoreSigned) only("{'type':'sigstoreSigned','keyDatas':['YQ==','Yg==']}");
    assertThat(((KeySource.Inline) datas.keys()).keys()).hasSize(2);
    assertThat(datas.keys().field()).isEqualTo("keyDatas");
  }

  @Test
  void everyIdentityType() throws Exception {
    String prefix = "{'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':";
    assertThat(((Requirement.SignedBy) only(prefix + "{'type':'matchExact'}}")).signedIdentity())
        .isEqualTo(new SignedIdentity.MatchExact());
    assertThat(((Requirement.SignedBy) only(prefix + "{'type':'matchRepoDigestOrExact'}}")).signedIdentity())
        .isEqualTo(new SignedIdentity.MatchRepoDigestOrExact());
    assertThat(((Requirement.SignedBy) only(prefix + "{'type':'matchRepository'}}")).signedIdentity())
        .isEqualTo(new SignedIdentity.MatchRepository());
    assertThat(((Requirement.SignedBy) only(prefix + "{'type':'exactReference','dockerReference':'vendor.example/p:1'}}"))
        .signedIdentity()).isEqualTo(new SignedIdentity.ExactReference("vendor.example/p:1"));
    assertThat(((Requirement.SignedBy) only(prefix + "{'type':'exactRepository','dockerRepository':'vendor.example/p'}}"))
        .signedIdentity()).isEqualTo(new SignedIdentity.ExactRepository("vendor.example/p"));
    assertThat(((Requirement.SignedBy) only(
            prefix + "{'type':'remapIdentity','prefix':'mirror:5000/vendor','signedPrefix':'vendor.example'}}"))
        .signedIdentity()).isEqualTo(new SignedIdentity.RemapIdentity("mirror:5000/vendor", "vendor.example"));
  }

  @Test
  void theManPagesLockedDownExampleParses() throws Exception {
    Policy p = parse("""
        {'default': [{'type': 'reject'}],
         'transports': {
           'docker': {
             'docker.io/openshift': [{'type': 'insecureAcceptAnything'}],
             'docker.io/library/busybox': [{'type': 'insecureAcceptAnything'}],
             '*.temporary-project.example.com': [{'type': 'insecureAcceptAnything'}],
             'hostname:5000/myns/sigstore-signed-with-full-references': [{'type': 'sigstoreSigned', 'keyPath': '/path/to/sigstore-pubkey.pub'}],
             'hostname:5000/myns/sigstore-signed-allows-malicious-tag-substitution': [
               {'type': 'sigstoreSigned', 'keyPath': '/path/to/sigstore-pubkey.pub', 'signedIdentity': {'type': 'matchRepository'}}]
           },
           'dir': {'': [{'type': 'insecureAcceptAnything'}]},
           'atomic': {
             'hostname:5000/vendor/product': [
               {'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/path/to/vendor-pubkey.gpg',
                'signedIdentity': {'type': 'exactRepository', 'dockerRepository': 'vendor-hostname/product/repository'}},
               {'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/path/to/reviewer-pubkey.gpg'}],
             'private-mirror:5000/vendor-mirror': [
               {'type': 'signedBy', 'keyType': 'GPGKeys', 'keyPath': '/path/to/vendor-pubkey.gpg',
                'signedIdentity': {'type': 'remapIdentity', 'prefix': 'private-mirror:5000/vendor-mirror', 'signedPrefix': 'vendor.example.com'}}]
           }
         }}""");
    assertThat(p.transports().get("docker")).hasSize(5);
    assertThat(p.transports().get("atomic").get("hostname:5000/vendor/product")).hasSize(2);
  }

  @Test
  void readsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.json");
    Files.writeString(file, "{\"default\":[{\"type\":\"reject\"}]}");
    assertThat(PolicyParser.parse(file).defaultRequirements()).containsExactly(new Requirement.Reject());
  }

  @Test
  void aMissingFileIsAnErrorNamingIt(@TempDir Path dir) {
    Path file = dir.resolve("policy.json");
    assertThatThrownBy(() -> PolicyParser.parse(file))
        .isInstanceOf(PolicyFormatException.class)
        .hasMessageStartingWith(file + ": the signature policy file does not exist")
        .hasMessageContaining("--signature-policy");
  }

  @Test
  void aTruncatedFileIsRefusedWithoutQuotingItsText() {
    PolicyFormatException e = refusal("{\n  \"default\": [{\"type\": \"reject\"}]\n");
    assertThat(e.getMessage()).contains("not valid JSON: Unexpected end-of-input", "(line 3, column 1)")
        .doesNotContain("Source:", "start marker");
  }

  /** Each refusal: the policy, the JSON path it must name, and a word the message must hold. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ''                                                               |                | empty
      '{'                                                              |                | not valid JSON
      '[]'                                                             |                | JSON object
      '{}'                                                             | default        | missing
      '{"default":[]}'                                                 | default        | empty
      '{"default":null}'                                               | default        | found null
      '{"default":{"type":"reject"}}'                                  | default        | list of requirements
      '{"default":[{"type":"reject"}],"Default":[]}'                   | Default        | unknown field
      '{"default":[{"type":"reject"}],"default":[{"type":"reject"}]}'  | default        | duplicate field
      '{"default":[{"type":"reject"}]} {}'                             |                | not valid JSON
      '{"default":[{"type":"reject"}],"transports":null}'              | transports     | found null
      '{"default":[{"type":"reject"}],"transports":{"docker":[]}}'     | transports.docker | JSON object
      '{"default":[{"type":"reject"}],"transports":{"docker":{"a.example":[{"type":"reject"}],"a.example":[{"type":"reject"}]}}}' | transports.docker["a.example"] | duplicate field
      '{"default":[{"type":"reject"}],"transports":{"oci":{"/x":[]}}}' | transports.oci["/x"] | empty
      '{"default":[{"type":"rejected"}]}'                              | default[0].type | unknown requirement type
      '{"default":[{"type":1}]}'                                       | default[0].type | expected a string
      '{"default":[{}]}'                                               | default[0].type | missing
      '{"default":["reject"]}'                                         | default[0]      | JSON object
      '{"default":[{"type":"reject","keyPath":"/k"}]}'                 | default[0].keyPath | unknown field
      '{"default":[{"type":"reject","type":"reject"}]}'                | default[0].type | duplicate field
      '{"default":[{"type":"insecureAcceptAnything","x":1}]}'          | default[0].x    | unknown field
      '{"default":[{"type":"signedBaseLayer"}]}'                       | default[0].type | not supported
      """)
  void refusesMalformedPolicies(String json, String field, String words) {
    PolicyFormatException e = refusal(json == null ? "" : json.replace('"', '\''));
    assertThat(e.field()).isEqualTo(field == null ? "" : field);
    if (field != null) {
      assertThat(e.getMessage()).startsWith(FILE + ": " + field + ": ");
    }
    assertThat(e.getMessage()).contains(words);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      {'type':'signedBy','keyPath':'/k'}                                        | keyType        | missing
      {'type':'signedBy','keyType':'X509Certificates','keyPath':'/k'}           | keyType        | not supported
      {'type':'signedBy','keyType':'PGP','keyPath':'/k'}                        | keyType        | not a key type
      {'type':'signedBy','keyType':'GPGKeys'}                                   |                | no key is given
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','keyData':'YQ=='}   |                | more than one key source
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','keyPaths':['/k']}  |                | keyPath, keyPaths
      {'type':'signedBy','keyType':'GPGKeys','keyDatas':['YQ==']}               | keyDatas       | unknown field
      {'type':'signedBy','keyType':'GPGKeys','keyPath':''}                      | keyPath        | empty
      {'type':'signedBy','keyType':'GPGKeys','keyPath':null}                    | keyPath        | found null
      {'type':'signedBy','keyType':'GPGKeys','keyPaths':[]}                     | keyPaths       | empty
      {'type':'signedBy','keyType':'GPGKeys','keyPaths':'/k'}                   | keyPaths       | expected a list
      {'type':'signedBy','keyType':'GPGKeys','keyPaths':['/k',2]}               | keyPaths[1]    | expected a string
      {'type':'signedBy','keyType':'GPGKeys','keyData':'not base64!'}           | keyData        | base64
      {'type':'signedBy','keyType':'GPGKeys','keyData':'YQ'}                    | keyData        | padded base64
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':null}                          | signedIdentity | found null
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'matchAnything'}}      | signedIdentity.type | unknown signedIdentity type
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'matchExact','x':1}}   | signedIdentity.x | unknown field
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'exactReference'}}     | signedIdentity.dockerReference | missing
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'exactReference','dockerReference':'vendor.example/p'}} | signedIdentity.dockerReference | neither a tag nor a digest
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'exactReference','dockerReference':'Vendor/P:1'}}     | signedIdentity.dockerReference | lowercase
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'exactRepository','dockerRepository':'a b'}}          | signedIdentity.dockerRepository | invalid value
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'remapIdentity','prefix':'m.example'}}                | signedIdentity.signedPrefix | missing
      {'type':'signedBy','keyType':'GPGKeys','keyPath':'/k','signedIdentity':{'type':'remapIdentity','prefix':'m.example/a:1','signedPrefix':'v.example'}} | signedIdentity | prefix 'm.example/a:1'
      {'type':'sigstoreSigned','keyPath':'/k','fulcio':{}}                      | fulcio         | not supported yet
      {'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyPath':'/r'}        | rekorPublicKeyPath | not supported yet
      {'type':'sigstoreSigned','keyPath':'/k','rekorPublicKeyData':'YQ=='}      | rekorPublicKeyData | not supported yet
      {'type':'sigstoreSigned','keyPath':'/k','pki':{}}                         | pki            | not supported yet
      {'type':'sigstoreSigned'}                                                 |                | keyPath, keyPaths, keyData, keyDatas
      {'type':'sigstoreSigned','keyData':'YQ==','keyDatas':['YQ==']}            |                | more than one key source
      {'type':'sigstoreSigned','keyDatas':[]}                                   | keyDatas       | empty
      {'type':'sigstoreSigned','keyType':'GPGKeys','keyPath':'/k'}              | keyType        | unknown field
      """)
  void refusesMalformedRequirements(String requirement, String field, String words) {
    PolicyFormatException e = requirementRefusal(requirement);
    String base = "transports.docker[\"r.example/os\"][0]";
    String expected = field == null ? base : base + "." + field;
    assertThat(e.field()).isEqualTo(expected);
    assertThat(e.getMessage()).startsWith(FILE + ": " + expected + ": ").contains(words);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      docker      | example*.*.com
      docker      | *.example.com:5000
      docker      | *.example.com/ns
      docker      | https://registry.example/os
      docker      | registry.example/OS
      docker      | registry.example/os:tag@sha256:0000000000000000000000000000000000000000000000000000000000000000
      docker      | registry.example:tag
      oci         | relative/dir
      oci         | /
      oci         | /srv/images/
      oci         | /srv//images
      oci         | /srv/./images
      oci         | /srv/images:tag
      oci-archive | images.tar
      oci-archive | /srv/../images.tar
      """)
  void refusesScopesInvalidForTheirTransport(String transport, String scope) {
    PolicyFormatException e = refusal(
        "{'default':[{'type':'reject'}],'transports':{'" + transport + "':{'" + scope + "':[{'type':'reject'}]}}}");
    assertThat(e.field()).isEqualTo("transports." + transport + "[\"" + scope + "\"]");
    assertThat(e.getMessage()).contains("invalid " + transport + " scope");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      docker      | registry.example
      docker      | registry.example:5000
      docker      | localhost:5000/ns/os
      docker      | docker.io/library/busybox:latest
      docker      | registry.example/os@sha256:0000000000000000000000000000000000000000000000000000000000000000
      docker      | *.example.com
      docker      | *.com
      docker      | 127.0.0.1:5000/os
      oci         | /srv/images
      oci-archive | /srv/images/os.tar
      dir         | anything goes for transports bootj does not read
      """)
  void acceptsValidScopes(String transport, String scope) throws Exception {
    Policy p = parse("{'default':[{'type':'reject'}],'transports':{'" + transport + "':{'" + scope + "':[{'type':'reject'}]}}}");
    assertThat(p.transports().get(transport)).containsKey(scope);
  }
}

package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import dev.bootj.oci.reference.LayoutReference;
import dev.bootj.oci.reference.RegistryReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How containers/image names an image for policy lookup: its transport, its most specific scope
 * (the identity) and the wider scopes to try after it, most specific first. The transport's
 * {@code ""} scope and the global default follow them implicitly.
 *
 * @param transport {@code docker}, {@code oci} or {@code oci-archive}
 * @param identity the scope naming exactly this image
 * @param namespaces the scopes containing it, most specific first
 */
public record PolicyIdentity(String transport, String identity, List<String> namespaces) {

  public static final String DOCKER = "docker";
  public static final String OCI = "oci";
  public static final String OCI_ARCHIVE = "oci-archive";

  public PolicyIdentity {
    namespaces = List.copyOf(namespaces);
  }

  /**
   * The identity of {@code reference}. Layout paths are made absolute and free of symbolic links,
   * as containers/image does, so this reads the file system.
   *
   * @throws BootjException when a layout path cannot be resolved
   */
  public static PolicyIdentity of(ImageReference reference) throws BootjException {
    if (reference instanceof RegistryReference registry) {
      return ofRegistry(registry);
    }
    LayoutReference layout = (LayoutReference) reference;
    return ofLayout(layout.kind() == LayoutReference.Kind.ARCHIVE ? OCI_ARCHIVE : OCI, ExplicitPath.resolve(layout.path()));
  }

  /**
   * docker: {@code host[:port]/repo:tag} or {@code host[:port]/repo@digest}; then the repository,
   * each parent namespace, {@code host[:port]}, and {@code *.}-wildcards of the host without its
   * port, from the longest suffix to the shortest ({@code docker/policyconfiguration/naming.go}).
   */
  static PolicyIdentity ofRegistry(RegistryReference reference) {
    DockerName name = dockerName(reference);
    List<String> namespaces = new ArrayList<>();
    String scope = name.name();
    while (true) {
      namespaces.add(scope);
      int slash = scope.lastIndexOf('/');
      if (slash < 0) {
        break;
      }
      scope = scope.substring(0, slash);
    }
    // scope is now host[:port]; wildcards never carry a port ("*.example.com" covers
    // "a.example.com:5000"), and only whole labels are dropped from the left.
    int colon = scope.indexOf(':');
    String host = colon < 0 ? scope : scope.substring(0, colon);
    for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.')) {
      host = host.substring(dot + 1);
      namespaces.add("*." + host);
    }
    return new PolicyIdentity(DOCKER, name.toString(), namespaces);
  }

  /**
   * oci and oci-archive: the resolved directory or file, without the {@code :tag} (the reference
   * annotation is not part of the identity), then each parent directory except {@code /}
   * ({@code oci/layout/oci_transport.go}, {@code oci/archive/oci_transport.go}).
   */
  static PolicyIdentity ofLayout(String transport, Path resolved) {
    String identity = resolved.toString();
    List<String> namespaces = new ArrayList<>();
    for (Path p = resolved; p != null && p.getParent() != null; p = p.getParent()) {
      namespaces.add(p.toString());
    }
    return new PolicyIdentity(transport, identity, namespaces);
  }

  /**
   * The image's docker identity, fully expanded ({@code docker.io/library/busybox}); a reference
   * pinned by digest loses its tag, since the digest alone decides what is pulled.
   */
  static DockerName dockerName(RegistryReference reference) {
    String registry = reference.registry();
    if (registry.equals("index.docker.io")) {
      registry = RegistryReference.DOCKER_HUB;
    }
    String repository = reference.repository();
    if (registry.equals(RegistryReference.DOCKER_HUB) && !repository.contains("/")) {
      repository = "library/" + repository;
    }
    String name = registry + "/" + repository;
    if (reference.digest() != null) {
      return new DockerName(name, null, reference.digest().toString());
    }
    return new DockerName(name, reference.tag(), null);
  }
}

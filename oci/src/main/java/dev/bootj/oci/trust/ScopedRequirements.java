package dev.bootj.oci.trust;

import java.util.List;

/**
 * The requirements that apply to an image, and the policy scope they came from.
 *
 * @param scope the scope for messages: {@code docker: registry.example/os}, {@code oci: /srv/images},
 *     {@code docker: ""} (a transport's default) or {@code default} (the global default)
 * @param requirements every one of them must hold; never empty
 */
public record ScopedRequirements(String scope, List<Requirement> requirements) {
  public ScopedRequirements {
    requirements = List.copyOf(requirements);
  }
}

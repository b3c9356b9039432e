package dev.bootj.oci.trust;

import dev.bootj.common.BootjException;
import dev.bootj.oci.reference.ImageReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed containers-policy.json(5): the global default requirements and, per transport, the
 * requirements of each scope. {@link PolicyParser} makes one; {@link #requirementsFor} picks the
 * requirements for an image as containers/image does: only the most specific matching scope
 * applies, and the wider ones are ignored.
 *
 * @param defaultRequirements the global {@code default}
 * @param transports transport name to scope to requirements
 */
public record Policy(List<Requirement> defaultRequirements, Map<String, Map<String, List<Requirement>>> transports) {

  public Policy {
    if (defaultRequirements.isEmpty()) {
      throw new IllegalArgumentException("the default requirements must not be empty");
    }
    defaultRequirements = List.copyOf(defaultRequirements);
    Map<String, Map<String, List<Requirement>>> copy = new LinkedHashMap<>();
    transports.forEach((transport, scopes) -> {
      Map<String, List<Requirement>> scopesCopy = new LinkedHashMap<>();
      scopes.forEach((scope, requirements) -> scopesCopy.put(scope, List.copyOf(requirements)));
      copy.put(transport, Collections.unmodifiableMap(scopesCopy));
    });
    transports = Collections.unmodifiableMap(copy);
  }

  /**
   * The requirements for {@code image}: its transport's scope naming it exactly, else the first
   * of its namespaces the transport lists, else the transport's {@code ""}, else the global
   * default.
   *
   * @throws BootjException when a layout path cannot be resolved to choose its scope
   */
  public ScopedRequirements requirementsFor(ImageReference image) throws BootjException {
    return requirementsFor(PolicyIdentity.of(image));
  }

  /** The requirements for an image already named as containers/image names it. */
  public ScopedRequirements requirementsFor(PolicyIdentity identity) {
    Map<String, List<Requirement>> scopes = transports.get(identity.transport());
    if (scopes != null) {
      List<Requirement> exact = scopes.get(identity.identity());
      if (exact != null) {
        return new ScopedRequirements(identity.transport() + ": " + identity.identity(), exact);
      }
      for (String namespace : identity.namespaces()) {
        List<Requirement> found = scopes.get(namespace);
        if (found != null) {
          return new ScopedRequirements(identity.transport() + ": " + namespace, found);
        }
      }
      List<Requirement> transportDefault = scopes.get("");
      if (transportDefault != null) {
        return new ScopedRequirements(identity.transport() + ": \"\"", transportDefault);
      }
    }
    return new ScopedRequirements("default", defaultRequirements);
  }
}

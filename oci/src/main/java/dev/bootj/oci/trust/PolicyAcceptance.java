package dev.bootj.oci.trust;

import java.util.List;

/**
 * The signature policy accepted an image: the scope whose requirements applied and how each was
 * met, in the policy's order. Immutable; printed by {@code bootj status} and written as JSON.
 *
 * @param scope the policy scope, as {@link ScopedRequirements#scope()} names it
 * @param requirements one entry per requirement of the scope
 */
public record PolicyAcceptance(String scope, List<SatisfiedRequirement> requirements) {

  public PolicyAcceptance {
    requirements = List.copyOf(requirements);
  }

  /** Whether any requirement was met by a verified signature (false when the scope accepts anything). */
  public boolean anySignatureVerified() {
    return requirements.stream().anyMatch(SatisfiedRequirement::hasSignature);
  }

  /** One line for people: {@code docker: registry.example/os: sigstoreSigned: key 9027..., identity registry.example/os}. */
  public String summary() {
    StringBuilder s = new StringBuilder(scope).append(": ");
    for (int i = 0; i < requirements.size(); i++) {
      s.append(i == 0 ? "" : "; ").append(requirements.get(i).summary());
    }
    return s.toString();
  }
}

package dev.bootj.oci.trust;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which scope keys a transport allows in policy.json. containers/image refuses a policy whose
 * oci or oci-archive scope is not an absolute, clean path other than {@code /}. For docker it
 * checks nothing, so a mistyped scope silently never matches; bootj refuses scopes that cannot
 * match any reference instead (a wildcard anywhere but a leading {@code *.}, a port on a
 * wildcard, a URL, uppercase repository names), since a policy that silently falls through to a
 * wider scope is exactly the accident to avoid. For the same reason an oci scope with a colon is
 * refused: older man pages describe {@code directory:tag} scopes, but containers/image leaves the
 * tag out of the identity, so such a scope never matches. Other transports' scopes are not validated:
 * bootj never reads images through them, and containers/image accepts transports it does not
 * know either.
 */
final class ScopeValidator {

  private static final String HOST =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*";
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-*)[a-z0-9]+)*";
  private static final Pattern DOCKER_WILDCARD = Pattern.compile("\\*\\." + HOST);
  private static final Pattern DOCKER_SCOPE = Pattern.compile(
      "(?:" + DockerName.DOMAIN + ")(?:/" + COMPONENT + ")*"
          + "|(?:" + DockerName.DOMAIN + ")(?:/" + COMPONENT + ")+"
          + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}))");

  private ScopeValidator() {}

  /**
   * Why {@code scope} is not valid for {@code transport}, or empty when it is. The transport
   * default {@code ""} is always valid.
   */
  static Optional<String> problem(String transport, String scope) {
    if (scope.isEmpty()) {
      return Optional.empty();
    }
    return switch (transport) {
      case PolicyIdentity.DOCKER -> dockerProblem(scope);
      case PolicyIdentity.OCI, PolicyIdentity.OCI_ARCHIVE -> pathProblem(scope);
      default -> Optional.empty();
    };
  }

  private static Optional<String> dockerProblem(String scope) {
    if (scope.contains("*")) {
      if (DOCKER_WILDCARD.matcher(scope).matches()) {
        return Optional.empty();
      }
      return Optional.of("a wildcard scope is \"*.\" followed by a domain, without a port or path"
          + " (e.g. \"*.example.com\"); \"" + scope + "\" can never match");
    }
    if (DOCKER_SCOPE.matcher(scope).matches()) {
      return Optional.empty();
    }
    return Optional.of("not a docker scope: write host[:port][/namespace...[/repository[:tag|@digest]]]"
        + " in the fully expanded form (docker.io/library/busybox), without a scheme");
  }

  private static Optional<String> pathProblem(String scope) {
    if (!scope.startsWith("/")) {
      return Optional.of("scopes of this transport are absolute paths");
    }
    if (scope.equals("/")) {
      return Optional.of("the scope \"/\" is not allowed; use the transport default \"\" instead");
    }
    if (scope.contains(":")) {
      return Optional.of("a tag is not part of oci scopes (containers/image ignores it, so this scope would"
          + " never match); name the directory or archive alone");
    }
    String clean = Path.of(scope).normalize().toString();
    if (!clean.equals(scope)) {
      return Optional.of("the path is not in canonical form; write \"" + clean + "\"");
    }
    return Optional.empty();
  }
}

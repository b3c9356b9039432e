#!/bin/bash
# Regenerates the simple-signing fixtures beside this script with independent tools: GnuPG makes
# the keys and the signed messages (`gpg --sign`, the attached format containers/image writes), and
# skopeo's standalone-sign writes one signature exactly as `skopeo copy --sign-by` does.
# Run it from anywhere; it needs gpg, skopeo and /usr/bin/python3. Commit the results.
set -euo pipefail
cd "$(dirname "$0")"

# A short GNUPGHOME: gpg-agent's socket path must stay under the Unix socket length limit.
GNUPGHOME=$(mktemp -d /tmp/bootj-gpg.XXXXXX)
export GNUPGHOME
trap 'gpgconf --kill all; rm -rf "$GNUPGHOME"' EXIT
gpg() { command gpg --batch --no-tty --quiet --pinentry-mode loopback --passphrase '' "$@"; }
fingerprint() { command gpg --batch --with-colons --list-keys "$1" | awk -F: '/^fpr:/ { print $10; exit }'; }

rm -f ./*.gpg ./*.asc ./*.sig ./*.json ./fixtures.properties

gpg --quick-gen-key 'bootj RSA fixture <rsa@example.test>' rsa3072 sign never
gpg --quick-gen-key 'bootj Ed25519 fixture <ed25519@example.test>' ed25519 sign never
gpg --quick-gen-key 'bootj untrusted fixture <untrusted@example.test>' ed25519 sign never
# A certification-only primary key with a separate signing subkey: the signature names the subkey,
# the policy trusts the primary key.
gpg --quick-gen-key 'bootj subkey fixture <subkey@example.test>' ed25519 cert never
RSA=$(fingerprint rsa@example.test)
ED=$(fingerprint ed25519@example.test)
UNTRUSTED=$(fingerprint untrusted@example.test)
SUBKEY_PRIMARY=$(fingerprint subkey@example.test)
gpg --quick-add-key "$SUBKEY_PRIMARY" ed25519 sign never
SUBKEY=$(command gpg --batch --with-colons --list-keys subkey@example.test | awk -F: '/^fpr:/ { n++; if (n == 2) { print $10; exit } }')
# A key that expired at the end of 2020: its signature was good when made (faked clock), not any more.
gpg --faked-system-time 20200101T000000! --quick-gen-key 'bootj expired fixture <expired@example.test>' ed25519 sign 1y
EXPIRED=$(fingerprint expired@example.test)
# A key revoked after it signed.
gpg --quick-gen-key 'bootj revoked fixture <revoked@example.test>' ed25519 sign never
REVOKED=$(fingerprint revoked@example.test)

gpg --export "$RSA" > rsa.pub.gpg
gpg --armor --export "$ED" > ed25519.pub.asc
gpg --export "$UNTRUSTED" > untrusted.pub.gpg
gpg --armor --export "$SUBKEY_PRIMARY" > subkey.pub.asc
gpg --export "$RSA" "$ED" > rsa-and-ed25519.pub.gpg

# A small OCI manifest; skopeo computes its digest itself, the payloads below name it.
cat > manifest.json <<'JSON'
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}
JSON
DIGEST=sha256:$(sha256sum manifest.json | cut -d' ' -f1)
OTHER_DIGEST=sha256:$(printf 'another manifest' | sha256sum | cut -d' ' -f1)

payload() { # docker-reference digest
  printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"atomic container signature"},"optional":{"creator":"bootj fixture generator","timestamp":1764547200}}' "$1" "$2"
}
payload registry.example/os:1 "$DIGEST" > payload.json
payload registry.example/os:1 "$OTHER_DIGEST" > payload-other-digest.json
payload registry.example/other:1 "$DIGEST" > payload-other-identity.json

gpg --local-user "$RSA!" --output rsa.sig --sign payload.json
gpg --local-user "$ED!" --compress-algo none --output ed25519.sig --sign payload.json
gpg --local-user "$ED!" --armor --output ed25519.sig.asc --sign payload.json
gpg --local-user "$UNTRUSTED!" --output untrusted.sig --sign payload.json
gpg --local-user "$SUBKEY!" --output subkey.sig --sign payload.json
gpg --local-user "$RSA!" --output rsa-other-digest.sig --sign payload-other-digest.json
gpg --local-user "$RSA!" --output rsa-other-identity.sig --sign payload-other-identity.json
gpg --faked-system-time 20200601T000000! --local-user "$EXPIRED!" --output expired.sig --sign payload.json
gpg --export "$EXPIRED" > expired.pub.gpg
gpg --local-user "$REVOKED!" --output revoked.sig --sign payload.json
# gpg keeps a ready revocation certificate, its armor line disarmed with a colon.
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$REVOKED.rev" > "$GNUPGHOME/revoke.asc"
gpg --import "$GNUPGHOME/revoke.asc"
gpg --export "$REVOKED" > revoked.pub.gpg
# Formats that are not a simple-signing signature: detached, and one message signed by two keys.
gpg --local-user "$RSA!" --output detached.sig --detach-sign payload.json
gpg --local-user "$RSA!" --local-user "$ED!" --output two-signatures.sig --sign payload.json
# A payload whose type is cosign's, not simple signing's: well signed, refused when parsed.
printf '{"critical":{"identity":{"docker-reference":"registry.example/os:1"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":{}}' "$DIGEST" > payload-cosign-type.json
gpg --local-user "$RSA!" --output rsa-cosign-type.sig --sign payload-cosign-type.json

# The literal data of the uncompressed Ed25519 message with one digit of the digest changed.
/usr/bin/python3 - "$DIGEST" <<'PY'
import sys
digest = sys.argv[1].encode()
data = open("ed25519.sig", "rb").read()
at = data.index(digest) + len("sha256:")
changed = b"1" if data[at:at + 1] != b"1" else b"2"
open("tampered.sig", "wb").write(data[:at] + changed + data[at + 1:])
PY

# As `skopeo copy --sign-by` writes it (same code path), with containers/image's own payload.
skopeo standalone-sign manifest.json registry.example/os:1 "$RSA" --output skopeo-rsa.sig

cat > fixtures.properties <<PROPS
# Written by generate.sh; fingerprints as gpg prints them (uppercase hex, primary keys).
digest=$DIGEST
otherDigest=$OTHER_DIGEST
rsa=$RSA
ed25519=$ED
untrusted=$UNTRUSTED
subkeyPrimary=$SUBKEY_PRIMARY
subkey=$SUBKEY
expired=$EXPIRED
revoked=$REVOKED
PROPS
echo "fixtures written to $(pwd)"

#!/bin/bash
# Regenerates the cosign-style fixtures beside this script with independent tools: OpenSSL makes
# the ECDSA P-256/P-384 and RSA keys and their signatures (`openssl dgst -sha256 -sign`: DER ECDSA,
# RSA PKCS#1 v1.5, as cosign signs), Python's cryptography (Debian's python3-cryptography) the
# Ed25519 key and its pure Ed25519 signature. Private keys stay in a temporary directory.
# Signatures are stored base64-encoded, as the dev.cosignproject.cosign/signature annotation holds them.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -f ./*.pem ./*.b64 ./*.json ./fixtures.properties

openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ecdsa.key"
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$work/ecdsa-p384.key"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$work/rsa.key"
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/untrusted.key"
for k in ecdsa ecdsa-p384 rsa untrusted; do
  openssl pkey -in "$work/$k.key" -pubout -out "$k.pub.pem"
done
# Keys bootj refuses: RSA under 2048 bits, and a curve sigstore does not use.
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$work/rsa-1024.key"
openssl pkey -in "$work/rsa-1024.key" -pubout -out rsa-1024.pub.pem
openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out "$work/secp256k1.key"
openssl pkey -in "$work/secp256k1.key" -pubout -out secp256k1.pub.pem
# The same RSA key as PKCS#1 "RSA PUBLIC KEY": not a SubjectPublicKeyInfo, so not a cosign key.
openssl rsa -in "$work/rsa.key" -RSAPublicKey_out -out rsa-pkcs1.pub.pem 2>/dev/null

DIGEST=sha256:$(printf 'a manifest' | sha256sum | cut -d' ' -f1)
OTHER_DIGEST=sha256:$(printf 'another manifest' | sha256sum | cut -d' ' -f1)
payload() { # docker-reference digest optional
  printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":%s}' "$1" "$2" "$3"
}
# cosign names only the repository and writes "optional": null without annotations.
payload registry.example/os "$DIGEST" null > payload.json
payload registry.example/os "$DIGEST" '{"creator":"bootj fixture generator","timestamp":1764547200}' > payload-annotated.json
payload registry.example/os "$OTHER_DIGEST" null > payload-other-digest.json
payload registry.example/other "$DIGEST" null > payload-other-identity.json
# payload.json with its digest swapped after signing: ecdsa.sig.b64 must not verify it.
sed "s/$DIGEST/$OTHER_DIGEST/" payload.json > payload-tampered.json

sign() { # key payload output
  openssl dgst -sha256 -sign "$work/$1.key" "$2" | base64 -w0 > "$3"
}
sign ecdsa payload.json ecdsa.sig.b64
sign ecdsa-p384 payload.json ecdsa-p384.sig.b64
sign rsa payload.json rsa.sig.b64
sign ecdsa payload-annotated.json ecdsa-annotated.sig.b64
sign untrusted payload.json untrusted.sig.b64
sign ecdsa payload-other-digest.json ecdsa-other-digest.sig.b64
sign ecdsa payload-other-identity.json ecdsa-other-identity.sig.b64

/usr/bin/python3 - <<'PY'
import base64
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
key = Ed25519PrivateKey.generate()
open("ed25519.pub.pem", "wb").write(key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
signature = key.sign(open("payload.json", "rb").read())
open("ed25519.sig.b64", "w").write(base64.b64encode(signature).decode())
PY

# openssl and Python must agree with what they made before it is committed.
for k in ecdsa rsa; do
  base64 -d "$k.sig.b64" | openssl dgst -sha256 -verify "$k.pub.pem" -signature /dev/stdin payload.json >/dev/null
done

fingerprint() { openssl pkey -pubin -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }
cat > fixtures.properties <<PROPS
# Written by generate.sh; fingerprints are the lowercase hex SHA-256 of each key's DER SubjectPublicKeyInfo.
digest=$DIGEST
otherDigest=$OTHER_DIGEST
ecdsa=$(fingerprint ecdsa.pub.pem)
ecdsaP384=$(fingerprint ecdsa-p384.pub.pem)
rsa=$(fingerprint rsa.pub.pem)
ed25519=$(fingerprint ed25519.pub.pem)
untrusted=$(fingerprint untrusted.pub.pem)
PROPS
echo "fixtures written to $(pwd)"

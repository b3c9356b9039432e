#!/usr/bin/python3
"""cosign's encrypted private key files, written and read with Python's own cryptography:
python3-nacl (NaCl secretbox), hashlib.scrypt and python3-cryptography (PKCS#8, PEM).

The independent party in bootj's CosignKeyFileTest. The format, as sigstore's Go code writes it:
a PEM block "ENCRYPTED SIGSTORE PRIVATE KEY" (older cosign: "ENCRYPTED COSIGN PRIVATE KEY")
whose body is the JSON
  {"kdf":{"name":"scrypt","params":{"N":..,"r":8,"p":1},"salt":B64},
   "cipher":{"name":"nacl/secretbox","nonce":B64},"ciphertext":B64}
where scrypt(passphrase, salt) gives the 32-byte secretbox key and the plaintext is PKCS#8 DER.

  cosign_key.py write TYPE PEMTYPE N PASSFILE OUT.key OUT.pub   TYPE: p256 p384 rsa2048 ed25519
  cosign_key.py read PASSFILE KEY      prints the key's public half as a PEM PUBLIC KEY
  cosign_key.py fixtures DIR           regenerates the committed fixtures in DIR

Run with /usr/bin/python3 (Debian's, which has python3-nacl and python3-cryptography).
"""
import base64
import hashlib
import json
import os
import sys

import nacl.secret
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

FIXTURE_PASSPHRASE = b"correct horse battery staple"


def derive(passphrase, salt, n, r, p):
    return hashlib.scrypt(passphrase, salt=salt, n=n, r=r, p=p, maxmem=512 * 1024 * 1024, dklen=32)


def pem(pem_type, body):
    text = base64.b64encode(body).decode("ascii")
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return ("-----BEGIN %s-----\n%s\n-----END %s-----\n" % (pem_type, "\n".join(lines), pem_type)).encode("ascii")


def unpem(data):
    lines = data.decode("ascii").splitlines()
    begin = next(i for i, line in enumerate(lines) if line.startswith("-----BEGIN "))
    pem_type = lines[begin][len("-----BEGIN "):-len("-----")]
    end = lines.index("-----END %s-----" % pem_type, begin)
    return pem_type, base64.b64decode("".join(lines[begin + 1:end]))


def new_key(kind):
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "rsa2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise SystemExit("unknown key type " + kind)


def encrypt(der, passphrase, n):
    salt = os.urandom(32)
    nonce = os.urandom(24)
    box = nacl.secret.SecretBox(derive(passphrase, salt, n, 8, 1))
    sealed = box.encrypt(der, nonce).ciphertext  # the 16-byte tag, then the ciphertext
    document = {
        "kdf": {"name": "scrypt", "params": {"N": n, "r": 8, "p": 1}, "salt": base64.b64encode(salt).decode()},
        "cipher": {"name": "nacl/secretbox", "nonce": base64.b64encode(nonce).decode()},
        "ciphertext": base64.b64encode(sealed).decode(),
    }
    return json.dumps(document, separators=(",", ":")).encode()


def decrypt(document, passphrase):
    data = json.loads(document)
    if data["kdf"]["name"] != "scrypt" or data["cipher"]["name"] != "nacl/secretbox":
        raise SystemExit("not scrypt + nacl/secretbox")
    params = data["kdf"]["params"]
    key = derive(passphrase, base64.b64decode(data["kdf"]["salt"]), params["N"], params["r"], params["p"])
    return nacl.secret.SecretBox(key).decrypt(base64.b64decode(data["ciphertext"]),
                                              base64.b64decode(data["cipher"]["nonce"]))


def public_pem(private_key):
    return private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


def write(kind, pem_type, n, passphrase, key_file, pub_file):
    key = new_key(kind)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    with open(key_file, "wb") as out:
        out.write(pem(pem_type, encrypt(der, passphrase, n)))
    with open(pub_file, "wb") as out:
        out.write(public_pem(key))


def read(passphrase, key_file):
    with open(key_file, "rb") as f:
        pem_type, body = unpem(f.read())
    if pem_type not in ("ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"):
        raise SystemExit("PEM type " + pem_type)
    key = serialization.load_der_private_key(decrypt(body, passphrase), password=None)
    sys.stdout.buffer.write(public_pem(key))


def fixtures(directory):
    # N=32768 keeps the tests fast; one key uses cosign's current 65536 so that cost is read too.
    for name, kind, pem_type, n in [
            ("python-p256", "p256", "ENCRYPTED SIGSTORE PRIVATE KEY", 65536),
            ("python-rsa2048", "rsa2048", "ENCRYPTED COSIGN PRIVATE KEY", 32768),
            ("python-ed25519", "ed25519", "ENCRYPTED SIGSTORE PRIVATE KEY", 32768),
            ("python-p384", "p384", "ENCRYPTED SIGSTORE PRIVATE KEY", 32768)]:
        write(kind, pem_type, n, FIXTURE_PASSPHRASE, os.path.join(directory, name + ".key"),
              os.path.join(directory, name + ".pub"))


def passphrase_of(path):
    with open(path, "rb") as f:
        return f.read()


def main(args):
    if args[:1] == ["write"] and len(args) == 7:
        write(args[1], args[2], int(args[3]), passphrase_of(args[4]), args[5], args[6])
    elif args[:1] == ["read"] and len(args) == 3:
        read(passphrase_of(args[1]), args[2])
    elif args[:1] == ["fixtures"] and len(args) == 2:
        fixtures(args[1])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

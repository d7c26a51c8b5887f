"""A certificate for `stride serve --lan`, made on this machine: https on the LAN.

Browsers give Web Bluetooth, service workers and app install only to secure
contexts (https, or http on localhost), so a phone reaching the server by its LAN
address needs https. No public CA will sign a certificate for 192.168.x.y, so
the server makes its own, with the `cryptography` package, on first use:

- a local CA (ca.pem, 10 years): the one file a phone may install to trust the
  server without a warning (Android: Settings > Security > Encryption &
  credentials > Install a certificate > CA certificate);
- a server certificate signed by it (server.pem, 397 days) naming every address
  and host name the server is reached by, remade when that set changes or it
  is about to expire.

The keys (ca-key.pem, server-key.pem) are written readable by the owner only and
never leave the folder; nothing is downloaded.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 397  # the longest a browser accepts for a server certificate
RENEW_DAYS = 30  # remade when fewer days than this are left


@dataclass(frozen=True)
class TlsFiles:
    """PEM files for uvicorn (cert, key) and the CA certificate a phone can install."""

    cert: Path
    key: Path
    ca_cert: Path


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _names(hosts: Sequence[str]) -> list[x509.GeneralName]:
    """SubjectAltName entries: IP literals as addresses, anything else as a DNS name."""
    out: list[x509.GeneralName] = []
    for h in dict.fromkeys(h.strip("[]").lower() for h in hosts if h):
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            out.append(x509.DNSName(h))
    return out


def _load_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    try:
        cert = x509.load_pem_x509_certificate((folder / "ca.pem").read_bytes())
        key = serialization.load_pem_private_key(
            (folder / "ca-key.pem").read_bytes(), password=None
        )
    except (OSError, ValueError):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        return None
    if cert.not_valid_after_utc < dt.datetime.now(dt.UTC) + dt.timedelta(days=RENEW_DAYS):
        return None
    return cert, key


def _make_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "StrideKit"),
            x509.NameAttribute(NameOID.COMMON_NAME, "StrideKit local CA"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    _write_private(folder / "ca-key.pem", _key_pem(key))
    (folder / "ca.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _server_ok(folder: Path, ca: x509.Certificate, want: list[x509.GeneralName]) -> bool:
    """Is server.pem signed by this CA, naming exactly `want`, and not about to expire?"""
    try:
        cert = x509.load_pem_x509_certificate((folder / "server.pem").read_bytes())
        if not (folder / "server-key.pem").is_file():
            return False
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    if cert.issuer != ca.subject or set(names) != set(want):
        return False
    try:
        cert.verify_directly_issued_by(ca)
    except (InvalidSignature, ValueError, TypeError):
        return False
    left = cert.not_valid_after_utc - dt.datetime.now(dt.UTC)
    return left > dt.timedelta(days=RENEW_DAYS)


def ensure_certificate(folder: Path, hosts: Sequence[str]) -> TlsFiles:
    """TLS files in `folder` for a server reached as any of `hosts` (made or remade as needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    want = _names(hosts)
    if not want:
        raise ValueError("a certificate needs at least one address or host name")
    loaded = _load_ca(folder)
    ca, ca_key = loaded if loaded is not None else _make_ca(folder)
    files = TlsFiles(folder / "server.pem", folder / "server-key.pem", folder / "ca.pem")
    if loaded is not None and _server_ok(folder, ca, want):
        return files
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    first = want[0].value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, str(first))]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
        .add_extension(x509.SubjectAlternativeName(want), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(files.key, _key_pem(key))
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return files

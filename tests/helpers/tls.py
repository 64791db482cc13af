"""Throw-away certificate authorities for TLS tests, made at test time with trustme."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass
class PKI:
    """A CA, a server certificate for 127.0.0.1/localhost, a client certificate, and
    a second, unrelated CA (a valid bundle that does not trust the server)."""

    ca: trustme.CA
    ca_path: str  # PEM bundle trusting the server
    other_ca_path: str  # PEM bundle of another CA
    server: trustme.LeafCert
    client_cert_path: str  # client certificate (chain)
    client_key_path: str
    client_combined_path: str  # key and certificate in one file
    wrong_host: trustme.LeafCert  # issued for another host name only

    def server_context(self, leaf: trustme.LeafCert | None = None, require_client_cert: bool = False) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        (leaf or self.server).configure_cert(context)
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            self.ca.configure_trust(context)
        return context


def make_pki(directory: Path) -> PKI:
    ca = trustme.CA()
    other = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("client@example.test")
    wrong = ca.issue_cert("not-this-host.example")
    paths = {
        "ca": directory / "ca.pem",
        "other": directory / "other-ca.pem",
        "client_cert": directory / "client-cert.pem",
        "client_key": directory / "client-key.pem",
        "client_combined": directory / "client.pem",
    }
    ca.cert_pem.write_to_path(str(paths["ca"]))
    other.cert_pem.write_to_path(str(paths["other"]))
    client.cert_chain_pems[0].write_to_path(str(paths["client_cert"]))
    client.private_key_pem.write_to_path(str(paths["client_key"]))
    client.private_key_and_cert_chain_pem.write_to_path(str(paths["client_combined"]))
    return PKI(
        ca=ca,
        ca_path=str(paths["ca"]),
        other_ca_path=str(paths["other"]),
        server=server,
        client_cert_path=str(paths["client_cert"]),
        client_key_path=str(paths["client_key"]),
        client_combined_path=str(paths["client_combined"]),
        wrong_host=wrong,
    )

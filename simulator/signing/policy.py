"""The training PKI's certificate policies: which role a certificate signs in.

A holder certificate carries one policy OID under a private arc (X.667
UUID root, no registration needed): a person with authority, or an agency
seal held by the unit's clerk (văn thư).
"""

from __future__ import annotations

from enum import Enum

from asn1crypto import x509 as asn1_x509

POLICY_ROOT = "2.25.241049315468203960112447153391297018301"
POLICY_PERSON = POLICY_ROOT + ".1"
POLICY_SEAL = POLICY_ROOT + ".2"


class Kind(str, Enum):
    PERSON = "person"
    SEAL = "seal"


def role_of(cert: asn1_x509.Certificate | None) -> Kind | None:
    """The role a certificate signs in, from its policy (None for a foreign certificate)."""
    if cert is None:
        return None
    try:
        policies = cert.certificate_policies_value
    except Exception:  # malformed extension in a hostile file
        return None
    for policy in policies or ():
        oid = policy["policy_identifier"].dotted
        if oid == POLICY_PERSON:
            return Kind.PERSON
        if oid == POLICY_SEAL:
            return Kind.SEAL
    return None

"""The certomancer configuration of a training PKI, rebuilt from its state (``pki.json``).

Certomancer reads one nested mapping: keys, entities, certificates with
their validity and extensions, and the services (CRL repositories, OCSP,
time stamping, certificate repositories). :func:`certomancer_config` writes
it from the PKI's saved state, so issuing, revoking and renewing only edit
that state.
"""

from __future__ import annotations

from pathlib import Path

from simulator.signing.policy import POLICY_PERSON, POLICY_SEAL, Kind

TRAINING_MARK = "TRAINING ONLY – NOT FOR REAL USE"
ARCH = "vbdt-training"


def _key_usage(*usages: str) -> dict:
    return {"id": "key_usage", "critical": True,
            "smart-value": {"schema": "key-usage", "params": list(usages)}}


def _crl_dp(repo: str) -> dict:
    return {"id": "crl_distribution_points",
            "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repo]}}}


SERVICE_KEYS = ("root", "ca", "tsa", "ocsp")


def certomancer_config(folder: Path, state: dict) -> dict:
    st = state
    service_from = st["service_valid_from"]
    ou = {"organizational-unit-name": TRAINING_MARK}
    keys = {k: {"path": str(folder / "keys" / f"{k}.key.pem")} for k in SERVICE_KEYS}
    entities = {
        "root": {"common-name": f"Training Root CA – {st['name']}", **ou},
        "ca": {"common-name": f"Training Government CA – {st['name']}", **ou},
        "tsa": {"common-name": "Training Time-Stamping Authority", **ou},
        "ocsp": {"common-name": "Training OCSP Responder", **ou},
    }
    certs: dict[str, dict] = {
        "root": {"subject": "root", "issuer": "root", "serial": 1,
                 "validity": {"valid-from": service_from, "valid-to": "2050-01-01T00:00:00+0000"},
                 "extensions": [{"id": "basic_constraints", "critical": True, "value": {"ca": True}},
                                _key_usage("digital_signature", "key_cert_sign", "crl_sign")]},
        "ca": {"subject": "ca", "issuer": "root", "serial": 2,
               "validity": {"valid-from": service_from, "valid-to": "2045-01-01T00:00:00+0000"},
               "extensions": [{"id": "basic_constraints", "critical": True,
                               "value": {"ca": True, "path-len-constraint": 0}},
                              _key_usage("digital_signature", "key_cert_sign", "crl_sign"),
                              _crl_dp("root")]},
        "tsa": {"subject": "tsa", "issuer": "root", "serial": 3,
                "validity": {"valid-from": service_from, "valid-to": "2045-01-01T00:00:00+0000"},
                "extensions": [_key_usage("digital_signature"),
                               {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                               _crl_dp("root")]},
        "ocsp": {"subject": "ocsp", "issuer": "ca", "serial": 4,
                 "validity": {"valid-from": service_from, "valid-to": "2045-01-01T00:00:00+0000"},
                 "extensions": [_key_usage("digital_signature"),
                                {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                                {"id": "ocsp_no_check"}]},
    }
    for label, h in st["holders"].items():
        keys[label] = {"path": str(folder / "holders" / f"{label}.pub.pem"), "public-only": True}
        entity = {"common-name": h["full_name"], "organization-name": h["unit_name"],
                  "country-name": "VN", **ou}
        if h.get("position"):
            entity["title"] = h["position"]
        if h.get("unit_code"):
            entity["organization-identifier"] = h["unit_code"]
        entities[label] = entity
        policy = POLICY_SEAL if h["kind"] == Kind.SEAL.value else POLICY_PERSON
        spec = {"subject": label, "subject-key": label, "issuer": "ca", "authority-key": "ca",
                "serial": h["serial"],
                "validity": {"valid-from": h["valid_from"], "valid-to": h["valid_to"]},
                "extensions": [_key_usage("digital_signature", "non_repudiation"),
                               _crl_dp("ca"),
                               {"id": "certificate_policies",
                                "value": [{"policy_identifier": policy}]},
                               {"id": "authority_information_access",
                                "smart-value": {"schema": "aia-urls",
                                                "params": {"ocsp-responder-names": ["ca"]}}}]}
        if h.get("revoked_at"):
            spec["revocation"] = {"revoked-since": h["revoked_at"], "reason": h["revocation_reason"]}
        certs[label] = spec
    return {
        "external-url-prefix": st["url"],
        "keysets": {"vbdt": {"keys": keys}},
        "pki-architectures": {ARCH: {
            "keyset": "vbdt",
            "entities": entities,
            "certs": certs,
            "services": {
                "crl-repo": {
                    "root": {"for-issuer": "root", "signing-key": "root",
                             "simulated-update-schedule": "PT1M"},
                    "ca": {"for-issuer": "ca", "signing-key": "ca",
                           "simulated-update-schedule": "PT1M"},
                },
                "ocsp": {"ca": {"for-issuer": "ca", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
                "cert-repo": {"root": {"for-issuer": "root", "publish-issued-certs": True},
                              "ca": {"for-issuer": "ca", "publish-issued-certs": True}},
            },
        }},
    }

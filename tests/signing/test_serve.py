"""``vbdt pki serve``: the PKI's services over real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

from asn1crypto import crl as asn1_crl

from simulator.signing.services import crl_path


def _ocsp_status(url: str, pki, label: str) -> str:
    import hashlib

    from asn1crypto import ocsp

    cert, issuer = pki.cert(label), pki.issuing_ca
    cert_id = ocsp.CertId({
        "hash_algorithm": {"algorithm": "sha1"},
        "issuer_name_hash": hashlib.sha1(issuer.subject.dump()).digest(),
        "issuer_key_hash": hashlib.sha1(issuer.public_key["public_key"].contents[1:]).digest(),
        "serial_number": cert.serial_number,
    })
    request = ocsp.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": cert_id}]}})
    http = urllib.request.Request(url + "/vbdt-training/ocsp/ca", data=request.dump(), method="POST",
                                  headers={"Content-Type": "application/ocsp-request"})
    with urllib.request.urlopen(http, timeout=10) as response:
        answer = ocsp.OCSPResponse.load(response.read())
    assert answer["response_status"].native == "successful"
    single = answer.basic_ocsp_response["tbs_response_data"]["responses"][0]
    return single["cert_status"].name


def test_crl_over_http(pki, holders):
    revoked_serial = pki.find(holders.revoked.stem).serial
    valid_serial = pki.find(holders.person.stem).serial
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "pki", "--pki", str(pki.folder), "serve",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), (url, proc.stderr.read() if proc.poll() is not None else "")
        with urllib.request.urlopen(url + crl_path("ca"), timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "application/pkix-crl"
            crl = asn1_crl.CertificateList.load(response.read())
        serials = {r["user_certificate"].native for r in crl["tbs_cert_list"]["revoked_certificates"]}
        assert revoked_serial in serials and valid_serial not in serials
        assert crl["tbs_cert_list"]["issuer"] == pki.issuing_ca.subject
        # the issuing CA's certificate is published too
        with urllib.request.urlopen(url + "/vbdt-training/certs/ca/ca.crt", timeout=10) as response:
            assert response.read() == pki.issuing_ca.dump()
        # and OCSP answers for each holder
        assert _ocsp_status(url, pki, holders.revoked.stem) == "revoked"
        assert _ocsp_status(url, pki, holders.person.stem) == "good"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

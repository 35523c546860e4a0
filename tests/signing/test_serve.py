"""``vbdt pki serve``: the PKI's services over real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

from asn1crypto import crl as asn1_crl

from simulator.signing.services import crl_path


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
    finally:
        proc.terminate()
        proc.wait(timeout=10)

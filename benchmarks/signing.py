"""Signing benchmark: person + agency seal per document, verification rate, overhead over pyHanko.

Run: ``python -m benchmarks.signing [--docs N]``. In one run, on the same
rendered documents:

- our ``sign_person`` + ``sign_seal`` (visible stamps, PAdES B-LT, RFC 3161
  time stamps, the seal's check of the person's signature included);
- the same work done by direct pyHanko calls (``SimpleSigner.load_pkcs12_data``,
  ``PdfSigner`` with the same stamps, fields, time stamper and validation
  context), as the baseline;
- our ``verify`` (two signatures per document, Decree-30 check) against
  direct ``async_validate_pdf_signature`` calls with the same strict
  validation context.

Targets (issue 4): signing median <= 0.5 s per document, verification
>= 30 signatures/s, ratios to pyHanko <= 1.25.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

SIGNER = "Nguyễn Văn Bình"


def _documents(folder: Path, n: int) -> list[Path]:
    from simulator.documents.content import ContentGenerator
    from simulator.documents.render import render_pdf
    from simulator.province import load_province

    province = load_province()
    gen = ContentGenerator(2026)
    issuer = next(u for u in province.units if u.level.name == "COMMUNE")
    paths = []
    for i in range(n):
        path = folder / f"doc-{i:03d}.pdf"
        doc = gen.document(issuer, province)
        # one signer for every document: the verifier checks the certificate holder is the person named
        render_pdf(replace(doc, signer=replace(doc.signer, full_name=SIGNER)), path)
        paths.append(path)
    return paths, issuer


async def _pyhanko_sign(pki, in_pdf: Path, out_pdf: Path, p12: Path, passphrase: str, person: bool) -> None:
    """The baseline: what a script calling pyHanko directly does for the same signature."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter

    from simulator.signing import appearance
    from simulator.signing.sign import PERSON_FIELD, SEAL_FIELD, signature_box, open_reader

    data = in_pdf.read_bytes()
    signer = signers.SimpleSigner.load_pkcs12_data(p12.read_bytes(), [pki.issuing_ca, pki.root],
                                                   passphrase.encode())
    name = signer.signing_cert.subject.native["common_name"]
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    box = signature_box(open_reader(data))
    meta = signers.PdfSignatureMetadata(
        field_name=PERSON_FIELD if person else SEAL_FIELD, md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES, embed_validation_info=True,
        validation_context=pki.validation_context(for_signing=True))
    if person:
        pbox = appearance.person_box(box, name)
        fields.append_signature_field(writer, SigFieldSpec(SEAL_FIELD, on_page=box.page,
                                                           box=appearance.seal_box(pbox).rect()))
        spec, style = SigFieldSpec(PERSON_FIELD, on_page=box.page, box=pbox.rect()), appearance.person_style(name)
        params = {"signer": name, "time": "2026-03-02T09:15:30+07:00"}
    else:
        spec, style, params = None, appearance.seal_style(name), {}
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=pki.timestamper(), stamp_style=style,
                                   new_field_spec=spec)
    out = io.BytesIO()
    await pdf_signer.async_sign_pdf(writer, output=out, appearance_text_params=params)
    out_pdf.write_bytes(out.getvalue())


async def _pyhanko_verify(pki, path: Path) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)
    dss = DocumentSecurityStore.read_dss(reader)
    vc = dss.as_validation_context({"trust_roots": [pki.root], "crls": pki.crls(), "allow_fetching": False,
                                    "revocation_mode": "hard-fail", "retroactive_revinfo": True})
    count = 0
    for emb in reader.embedded_regular_signatures:
        status = await async_validate_pdf_signature(emb, signer_validation_context=vc, ts_validation_context=vc)
        assert status.bottom_line
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    args = parser.parse_args()

    from simulator.signing import TrainingPKI, async_sign_person, async_sign_seal, async_verify

    with tempfile.TemporaryDirectory(prefix="vbdt-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        pki = TrainingPKI.create(folder / "pki")
        t_pki = time.perf_counter() - t0
        docs, issuer = _documents(folder, args.docs)
        t0 = time.perf_counter()
        person = pki.issue_person(SIGNER, "Chủ tịch", issuer.name, issuer.code, "bench-pass")
        seal = pki.issue_seal(issuer.name, issuer.code, "bench-pass")
        t_issue = (time.perf_counter() - t0) / 2

        async def run() -> dict:
            # warm up once (imports, fonts, first key loads) on a throw-away copy
            await async_sign_person(docs[0], folder / "warm.pdf", person, "bench-pass", pki)
            await _pyhanko_sign(pki, docs[0], folder / "warm-b.pdf", person, "bench-pass", True)
            ours, base, signed, ours_cpu, base_cpu = [], [], [], [], []
            for i, doc in enumerate(docs):
                # alternate the order so that neither side profits from a warmer cache
                for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                    t, c = time.perf_counter(), time.process_time()
                    if side == 0:
                        p = await async_sign_person(doc, folder / f"o-p-{i}.pdf", person, "bench-pass", pki)
                        s = await async_sign_seal(p, folder / f"o-s-{i}.pdf", seal, "bench-pass", pki)
                        ours.append(time.perf_counter() - t)
                        ours_cpu.append(time.process_time() - c)
                        signed.append(s)
                    else:
                        await _pyhanko_sign(pki, doc, folder / f"b-p-{i}.pdf", person, "bench-pass", True)
                        await _pyhanko_sign(pki, folder / f"b-p-{i}.pdf", folder / f"b-s-{i}.pdf", seal,
                                            "bench-pass", False)
                        base.append(time.perf_counter() - t)
                        base_cpu.append(time.process_time() - c)
            t, c = time.perf_counter(), time.process_time()
            n_ours = 0
            for path in signed:
                report = await async_verify(path, pki)
                assert report.passed, report.to_json()
                n_ours += len(report.signatures)
            t_ours, c_ours = time.perf_counter() - t, time.process_time() - c
            t, c = time.perf_counter(), time.process_time()
            n_base = 0
            for path in signed:
                n_base += await _pyhanko_verify(pki, path)
            t_base, c_base = time.perf_counter() - t, time.process_time() - c
            return {"ours": ours, "base": base, "ours_cpu": ours_cpu, "base_cpu": base_cpu,
                    "verify": (n_ours, t_ours, c_ours), "verify_base": (n_base, t_base, c_base)}

        r = asyncio.run(run())
    import os

    sign_med, base_med = statistics.median(r["ours"]), statistics.median(r["base"])
    sign_cpu, base_cpu = statistics.median(r["ours_cpu"]), statistics.median(r["base_cpu"])
    n, t, c = r["verify"]
    nb, tb, cb = r["verify_base"]
    print(f"documents: {args.docs} (rendered Decree-30 PDF/A-2b, one page); "
          f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"PKI init (4 RSA-2048 keys): {t_pki:.2f} s; issuing a certificate: {t_issue:.3f} s")
    print(f"sign person + seal, median wall: {sign_med:.3f} s per document (pyHanko direct: {base_med:.3f} s); "
          f"ratio {sign_med / base_med:.2f}")
    print(f"sign person + seal, median CPU:  {sign_cpu:.3f} s per document (pyHanko direct: {base_cpu:.3f} s); "
          f"ratio {sign_cpu / base_cpu:.2f}")
    print(f"verify, wall: {n / t:.1f} signatures/s (pyHanko direct: {nb / tb:.1f}/s); ratio {(t / n) / (tb / nb):.2f}")
    print(f"verify, CPU:  {n / c:.1f} signatures/s (pyHanko direct: {nb / cb:.1f}/s); ratio {(c / n) / (cb / nb):.2f}")

if __name__ == "__main__":
    main()

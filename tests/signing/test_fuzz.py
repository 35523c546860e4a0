"""Fuzzing the verifier: mangled, truncated and non-PDF input never passes, crashes or hangs.

Every mutation touches bytes the agency's signature covers, so none of them
can legitimately pass. Each case must end in a UserError (the CLI's exit 2)
or a report that is not TOTAL_PASSED, within 10 seconds. The cases run in
process on one event loop to keep the suite fast.
"""

from __future__ import annotations

import asyncio
import random
import re
import signal

import pytest

from simulator.errors import UserError
from simulator.signing.verify import async_verify_bytes

CASES = 210
SEED = 20260302


def _covered(data: bytes) -> list[tuple[int, int]]:
    """The byte ranges the last signature covers."""
    m = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))[-1]
    a, b, c, d = (int(x) for x in m.groups())
    return [(a, a + b), (c, c + d)]


def _pos(rng: random.Random, ranges) -> int:
    start, end = rng.choice(ranges)
    return rng.randrange(start, end)


def mutations(data: bytes, rng: random.Random):
    ranges = _covered(data)
    kinds = ["flip", "flips", "truncate", "delete", "insert", "duplicate", "zero", "digits"]
    for i in range(CASES):
        kind = kinds[i % len(kinds)]
        out = bytearray(data)
        if kind == "flip":
            out[_pos(rng, ranges)] ^= 1 << rng.randrange(8)
        elif kind == "flips":
            for _ in range(rng.randint(2, 40)):
                out[_pos(rng, ranges)] ^= rng.randrange(1, 256)
        elif kind == "truncate":
            out = out[:_pos(rng, ranges)]
        elif kind == "delete":
            p = _pos(rng, ranges)
            del out[p:p + rng.randint(1, 400)]
        elif kind == "insert":
            p = _pos(rng, ranges)
            out[p:p] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == "duplicate":
            p = _pos(rng, ranges)
            out[p:p] = out[p:p + rng.randint(16, 2000)]
        elif kind == "zero":
            p = _pos(rng, ranges)
            n = rng.randint(1, 200)
            out[p:p + n] = bytes(len(out[p:p + n]))
        elif kind == "digits":  # offsets and lengths: xref entries, /Length, /ByteRange
            digits = [m.start() for m in re.finditer(rb"\d", bytes(out[:ranges[0][1]]))]
            for p in rng.sample(digits, k=min(5, len(digits))):
                out[p] = ord(str(rng.randrange(10)))
        if bytes(out) == data:  # a flip that changed nothing
            out[_pos(rng, ranges)] ^= 0xFF
        yield f"{kind}-{i}", bytes(out)


def not_pdfs(rng: random.Random):
    yield "empty", b""
    yield "text", "Công văn số 01/UBND-VP".encode()
    yield "png", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(300))
    yield "header-only", b"%PDF-1.7\n"
    yield "header-eof", b"%PDF-1.7\n%%EOF\n"
    yield "zip", b"PK\x03\x04" + bytes(200)
    for i in range(8):
        yield f"random-{i}", bytes(rng.randrange(256) for _ in range(rng.randint(1, 5000)))
    for i in range(4):
        yield f"random-pdf-{i}", b"%PDF-1.4\n" + bytes(rng.randrange(256) for _ in range(rng.randint(1, 5000)))


class _Hang(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Hang()


def test_fuzzed_documents_never_pass(sealed, pki):
    data = sealed.read_bytes()
    rng = random.Random(SEED)
    cases = list(mutations(data, rng)) + list(not_pdfs(rng))
    assert len(cases) >= 200

    async def run_all():
        outcomes = {}
        for name, blob in cases:
            signal.setitimer(signal.ITIMER_REAL, 10)
            try:
                report = await async_verify_bytes(blob, name, pki)
                outcomes[name] = report.indication if report.passed else "rejected:" + report.indication
            except UserError:
                outcomes[name] = "exit-2"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        return outcomes

    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        outcomes = asyncio.run(run_all())
    finally:
        signal.signal(signal.SIGALRM, previous)
    passed = [name for name, outcome in outcomes.items() if outcome == "TOTAL_PASSED"]
    assert passed == []
    assert len(outcomes) == len(cases)
    # the non-PDFs are refused as input (exit 2), not judged
    assert all(outcomes[name] == "exit-2" for name, _ in not_pdfs(random.Random(SEED)) if name in
               ("empty", "text", "png", "zip"))
    # and most mangled documents are still read and judged, not just refused
    judged = [o for o in outcomes.values() if o.startswith("rejected:")]
    assert len(judged) > CASES // 3

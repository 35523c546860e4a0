"""PKI services: in process by default, or over real HTTP on 127.0.0.1.

In process, pyHanko asks certomancer's time-stamping authority directly
(no socket). ``serve`` runs certomancer's aiohttp "animator": CRLs, OCSP,
time stamps and the certificate repository at
``http://127.0.0.1:PORT/vbdt-training/...``.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper

ARCH = "vbdt-training"


class InProcessTimeStamper(TimeStamper):
    """pyHanko's time-stamp client talking to a certomancer TSA object."""

    def __init__(self, tsa) -> None:
        super().__init__()
        self._tsa = tsa

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return self._tsa.request_tsa_response(req)


def crl_path(issuer: str = "ca") -> str:
    """The URL path where the served CRL of ``issuer`` ('ca' or 'root') lives."""
    return f"/{ARCH}/crls/{issuer}/latest.crl"


def build_app(pki):
    """The aiohttp application serving ``pki``'s services."""
    from certomancer.integrations.aiohttp_animator import build_animator_app
    from certomancer.registry import ArchLabel

    return build_animator_app({ArchLabel(ARCH): pki.architecture}, with_web_ui=True,
                              allow_time_override=False)


@contextlib.asynccontextmanager
async def serving(pki, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve ``pki`` while the block runs; yields the base URL (port 0 picks a free one)."""
    from aiohttp import web

    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("the training PKI is served on the loopback interface only")
    runner = web.AppRunner(build_app(pki))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    try:
        bound = runner.addresses[0][1]  # the real port when 0 was asked for
        yield f"http://{host}:{bound}"
    finally:
        await runner.cleanup()


def serve_forever(pki, host: str = "127.0.0.1", port: int = 9717, ready=None) -> None:
    """Block serving ``pki`` until interrupted (``vbdt pki serve``)."""

    async def main() -> None:
        async with serving(pki, host, port) as url:
            if ready is not None:
                ready(url)
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())

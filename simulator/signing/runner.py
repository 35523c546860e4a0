"""Run a coroutine from synchronous code, even inside a running event loop.

pyHanko's synchronous calls use ``asyncio.run()``, which fails in a Jupyter
kernel whose loop is already running (PITFALLS.md). Our synchronous
wrappers call :func:`run_sync`: with no running loop it is ``asyncio.run``;
inside one it runs the coroutine on a fresh loop in a worker thread and
waits for it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from typing import Any, Awaitable, Callable

_POOL: concurrent.futures.ThreadPoolExecutor | None = None


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="vbdt-signing")
    return _POOL


def run_sync(factory: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``factory()`` to completion and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    return _pool().submit(lambda: asyncio.run(factory())).result()

"""Fetch a notice from an http(s) URL, bounded in time, size and redirects, with a few retries.

Only http and https. Connection errors, timeouts and 5xx answers are retried; 4xx answers are not.
One deadline covers the whole request — connecting, headers (however slowly a server drips them), the
body, redirects, retries and the pauses between them: when it passes the fetch is refused. A body larger
than the cap is refused. Credentials in the URL are sent (basic auth) but never appear in a message or
a result (extract/urls.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from extract.credentials import with_credentials
from extract.errors import NoticeError
from extract.limits import (
    FETCH_ATTEMPTS,
    FETCH_BACKOFF_SECONDS,
    FETCH_CONNECT_TIMEOUT,
    FETCH_MAX_REDIRECTS,
    FETCH_READ_TIMEOUT,
    FETCH_TOTAL_SECONDS,
    MAX_SOURCE_BYTES,
)
from extract.urls import redact

USER_AGENT = "govtasks (open data; +https://github.com/) httpx"
T = TypeVar("T")


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects, without userinfo
    content: bytes
    content_type: str | None


class _Retry(Exception):
    pass


async def _once(client: httpx.AsyncClient, url: str, shown: str, max_bytes: int) -> Fetched:
    try:
        async with client.stream("GET", url) as resp:
            if resp.status_code >= 500:
                raise _Retry(f"the server answered {resp.status_code}")
            if resp.status_code >= 400:
                raise NoticeError(shown, f"the server answered {resp.status_code} {resp.reason_phrase}")
            length = resp.headers.get("content-length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise NoticeError(shown, f"refused: the page is {int(length)} bytes (limit {max_bytes})")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise NoticeError(shown, f"refused: the page is larger than {max_bytes} bytes")
                chunks.append(chunk)
            return Fetched(redact(str(resp.url)), b"".join(chunks), resp.headers.get("content-type"))
    except httpx.TooManyRedirects:
        raise NoticeError(shown, f"refused: more than {FETCH_MAX_REDIRECTS} redirects") from None
    except httpx.UnsupportedProtocol:
        raise NoticeError(shown, "refused: a redirect left http/https") from None
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
        raise _Retry(type(e).__name__ + (f": {redact(str(e))}" if str(e) else "")) from None


async def _fetch(url: str, shown: str, max_bytes: int, total_seconds: float, attempts: int,
                 read_timeout: float) -> Fetched:
    timeout = httpx.Timeout(read_timeout, connect=FETCH_CONNECT_TIMEOUT)
    last = ""
    try:
        async with asyncio.timeout(total_seconds):
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=FETCH_MAX_REDIRECTS,
                                         headers={"User-Agent": USER_AGENT}) as client:
                for attempt in range(attempts):
                    try:
                        return await _once(client, url, shown, max_bytes)
                    except _Retry as e:
                        last = str(e)
                        if attempt + 1 < attempts:
                            await asyncio.sleep(FETCH_BACKOFF_SECONDS * (2 ** attempt))
    except TimeoutError:
        raise NoticeError(shown, f"refused: the request took longer than {total_seconds:g} s (one deadline for "
                                 "connecting, headers, body, redirects and retries)") from None
    raise NoticeError(shown, f"could not fetch after {attempts} attempts: {last}")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to the end from sync code, also when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def fetch(url: str, *, max_bytes: int = MAX_SOURCE_BYTES, total_seconds: float = FETCH_TOTAL_SECONDS,
          attempts: int = FETCH_ATTEMPTS, read_timeout: float = FETCH_READ_TIMEOUT) -> Fetched:
    """The bytes at `url` (http or https), or a NoticeError naming the URL (without credentials) and
    what went wrong."""
    url = with_credentials(url)  # a URL the CLI took the credentials out of (extract.credentials)
    shown = redact(url)
    if not url.lower().startswith(("http://", "https://")):
        raise NoticeError(shown, "only http and https URLs are read")
    return _run(_fetch(url, shown, max_bytes, total_seconds, attempts, read_timeout))

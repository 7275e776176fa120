"""Fetch a notice from an http(s) URL, bounded in time, size and redirects, with a few retries.

Only http and https. Connection errors, timeouts and 5xx answers are retried; 4xx answers are not.
A body larger than the cap, or one still streaming when the total time runs out, is refused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

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

USER_AGENT = "govtasks (open data; +https://github.com/) httpx"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str | None


class _Retry(Exception):
    pass


def _once(client: httpx.Client, url: str, max_bytes: int, total_seconds: float) -> Fetched:
    start = time.monotonic()
    try:
        with client.stream("GET", url) as resp:
            if resp.status_code >= 500:
                raise _Retry(f"the server answered {resp.status_code}")
            if resp.status_code >= 400:
                raise NoticeError(url, f"the server answered {resp.status_code} {resp.reason_phrase}")
            length = resp.headers.get("content-length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise NoticeError(url, f"refused: the page is {int(length)} bytes (limit {max_bytes})")
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise NoticeError(url, f"refused: the page is larger than {max_bytes} bytes")
                if time.monotonic() - start > total_seconds:
                    raise NoticeError(url, f"refused: the download took longer than {total_seconds:g} s")
                chunks.append(chunk)
            return Fetched(str(resp.url), b"".join(chunks), resp.headers.get("content-type"))
    except httpx.TooManyRedirects:
        raise NoticeError(url, f"refused: more than {FETCH_MAX_REDIRECTS} redirects") from None
    except httpx.UnsupportedProtocol as e:
        raise NoticeError(url, f"refused: a redirect left http/https ({e})") from None
    except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as e:
        raise _Retry(f"{type(e).__name__}: {e}") from None


def fetch(url: str, *, max_bytes: int = MAX_SOURCE_BYTES, total_seconds: float = FETCH_TOTAL_SECONDS,
          attempts: int = FETCH_ATTEMPTS, read_timeout: float = FETCH_READ_TIMEOUT) -> Fetched:
    """The bytes at `url` (http or https), or a NoticeError naming the URL and what went wrong."""
    if not url.lower().startswith(("http://", "https://")):
        raise NoticeError(url, "only http and https URLs are read")
    timeout = httpx.Timeout(read_timeout, connect=FETCH_CONNECT_TIMEOUT)
    last = ""
    with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=FETCH_MAX_REDIRECTS,
                      headers={"User-Agent": USER_AGENT}) as client:
        for attempt in range(attempts):
            try:
                return _once(client, url, max_bytes, total_seconds)
            except _Retry as e:
                last = str(e)
                if attempt + 1 < attempts:
                    time.sleep(FETCH_BACKOFF_SECONDS * (2 ** attempt))
    raise NoticeError(url, f"could not fetch after {attempts} attempts: {last}")

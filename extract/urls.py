"""URLs as they may be recorded: never with the user name and password a source URL may carry.

`http://user:secret@host/notice.txt` is fetched with those credentials (httpx sends them as basic
auth), but every recorded form of it — notices.source_url, release.json, the snapshot cache's
fetched.json, error messages — is `http://host/notice.txt`.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def redact(url: str) -> str:
    """`url` without userinfo (`user:password@`); any text that is not a URL is returned as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or "@" not in parts.netloc:
        if "://" in url and "@" in url.split("://", 1)[1].split("/", 1)[0]:  # unparseable, but has userinfo
            scheme, rest = url.split("://", 1)
            host, _, path = rest.partition("/")
            return f"{scheme}://{host.rsplit('@', 1)[1]}" + (f"/{path}" if _ or path else "")
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def has_userinfo(url: str) -> bool:
    return redact(url) != url

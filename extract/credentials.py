"""Credentials of source URLs, held in this process only, so that no run records them.

A source `http://user:secret@host/notice.txt` given on the command line is handed to the flow as
`http://host/notice.txt` (flow parameters are stored in Prefect's database under PREFECT_HOME); the
user name and password stay in this module, for this process, and `extract.fetch` sends them when it
fetches that URL. Credentials kept out of every command line altogether: `~/.netrc` (or NETRC), which
httpx reads.
"""

from __future__ import annotations

from extract.urls import redact

_held: dict[str, str] = {}  # redacted URL → the URL as given, with its userinfo


def hold(source: str) -> str:
    """`source` without userinfo; its credentials are kept for `with_credentials` in this process."""
    shown = redact(source)
    if shown != source:
        _held[shown] = source
    return shown


def with_credentials(url: str) -> str:
    """The URL to fetch: `url` with the credentials `hold` kept for it, or `url` as it is."""
    return _held.get(url, url)

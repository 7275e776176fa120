"""URL sources against a local HTTP server on 127.0.0.1 (never the internet): a good fetch, redirect
loops, oversized and endless bodies, headers dripped byte by byte, server errors, credentials in URLs.
No timing is asserted: a limit that does not hold shows as a fetch that succeeds."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extract.errors import NoticeError
from extract.fetch import fetch
from extract.read import read_notice
from extract.snapshot import sha256_file, take_snapshot
from tests import extract_renditions as R

PAGE = R.html_table()
HITS: dict[str, int] = {}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        HITS[self.path] = HITS.get(self.path, 0) + 1
        if self.path == "/notice":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", "/loop" + str(HITS[self.path]))
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif self.path == "/endless":  # no length, streams until the client gives up
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/slow":  # trickles bytes forever
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/drip":  # a valid answer, its headers one byte at a time (~6 s in all)
            head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: " + str(len(PAGE)).encode() + b"\r\n\r\n")
            try:
                for i in range(len(head)):
                    self.wfile.write(head[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(PAGE)
            except (BrokenPipeError, ConnectionResetError):
                return
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/notice")
            self.end_headers()
        elif self.path == "/auth":  # answers only with the credentials of the URL, as basic auth
            import base64

            ok = self.headers.get("Authorization") == "Basic " + base64.b64encode(b"user:secret").decode()
            self.send_response(200 if ok else 401)
            self.send_header("Content-Length", str(len(PAGE) if ok else 0))
            self.end_headers()
            if ok:
                self.wfile.write(PAGE)
        elif self.path == "/error":
            self.send_response(503)
            self.end_headers()
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_good_fetch_is_saved_with_its_checksum_and_date(server: str, tmp_path: Path) -> None:
    snap = take_snapshot(f"{server}/notice", tmp_path)
    assert Path(snap.path).parent == tmp_path.resolve()
    assert Path(snap.path).name == f"{snap.sha256}.html"
    assert sha256_file(Path(snap.path)) == snap.sha256
    assert snap.url == f"{server}/notice" and snap.fetched_at and snap.fetched_at.endswith("Z")
    n = read_notice(snap)
    assert (n.source.url, n.source.fetched_at, n.source.sha256) == (snap.url, snap.fetched_at, snap.sha256)
    assert (n.source.form, len(n.tasks)) == ("html", 102)


def test_refetching_unchanged_bytes_keeps_the_first_fetch_date(server: str, tmp_path: Path) -> None:
    from extract.snapshot import first_fetched

    first = take_snapshot(f"{server}/notice", tmp_path)
    # the same URL and bytes, fetched "later": the recorded date stays the first one
    assert first_fetched(tmp_path, first.url, first.sha256, "2099-01-01T00:00:00Z") == first.fetched_at
    again = take_snapshot(f"{server}/notice", tmp_path)
    assert again.fetched_at == first.fetched_at
    # other bytes at the same URL get their own date
    assert first_fetched(tmp_path, first.url, "0" * 64, "2099-01-01T00:00:00Z") == "2099-01-01T00:00:00Z"


def test_redirect_loop_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(NoticeError, match="redirects"):
        take_snapshot(f"{server}/loop", tmp_path)
    assert HITS["/loop"] == 1 and len([k for k in HITS if k.startswith("/loop")]) <= 7


def test_declared_oversize_is_refused(server: str) -> None:
    with pytest.raises(NoticeError, match="refused: the page is"):
        fetch(f"{server}/big")


def test_endless_stream_stops_at_the_size_cap(server: str) -> None:
    with pytest.raises(NoticeError, match="larger than 1000000 bytes"):
        fetch(f"{server}/endless", max_bytes=1_000_000)


def test_trickling_stream_stops_at_the_time_cap(server: str) -> None:
    with pytest.raises(NoticeError, match="longer than 1 s"):
        fetch(f"{server}/slow", total_seconds=1.0)


def test_headers_dripped_byte_by_byte_stop_at_the_one_deadline(server: str) -> None:
    # every byte comes well within the read timeout; only a deadline for the whole request stops it
    assert fetch(f"{server}/drip").content == PAGE  # the server does answer, slowly
    with pytest.raises(NoticeError, match=r"longer than 1 s \(one deadline for connecting, headers"):
        fetch(f"{server}/drip", total_seconds=1.0, read_timeout=30.0)


def test_the_deadline_covers_retries(server: str) -> None:
    HITS.pop("/error", None)
    with pytest.raises(NoticeError, match="longer than 2 s"):
        fetch(f"{server}/error", attempts=50, total_seconds=2.0)  # the pauses alone would take years
    assert 1 <= HITS["/error"] < 50


def test_credentials_are_sent_but_never_recorded(server: str, tmp_path: Path) -> None:
    host = server.removeprefix("http://")
    snap = take_snapshot(f"http://user:secret@{host}/auth", tmp_path)  # 401 without them
    assert (snap.url, snap.final_url, snap.name) == (f"{server}/auth", f"{server}/auth", "auth")
    n = read_notice(snap)
    assert (n.source.url, n.source.final_url) == (f"{server}/auth", f"{server}/auth")
    for f in tmp_path.iterdir():
        assert b"secret" not in f.read_bytes() and b"user:" not in f.read_bytes(), f.name
    with pytest.raises(NoticeError) as e:
        fetch(f"http://user:secret@{host}/gone")
    assert "secret" not in str(e.value) and str(e.value).startswith(f"{server}/gone: ")
    with pytest.raises(NoticeError) as e:
        take_snapshot("ftp://user:secret@example.org/n.txt", tmp_path)
    assert "secret" not in str(e.value)


def test_a_redirect_records_the_final_url_beside_the_first(server: str, tmp_path: Path) -> None:
    snap = take_snapshot(f"{server}/moved", tmp_path)
    assert (snap.url, snap.final_url) == (f"{server}/moved", f"{server}/notice")


def test_server_errors_are_retried_then_reported(server: str) -> None:
    HITS.pop("/error", None)
    with pytest.raises(NoticeError, match="after 2 attempts"):
        fetch(f"{server}/error", attempts=2)
    assert HITS["/error"] == 2


def test_not_found_is_not_retried(server: str) -> None:
    with pytest.raises(NoticeError, match="404"):
        fetch(f"{server}/missing")
    assert HITS["/missing"] == 1

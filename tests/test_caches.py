"""The caches are verified on every use, and recorded URLs carry no credentials: real flows against a
local HTTP server on 127.0.0.1 (threads in this process), real files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from extract.errors import NoticeError
from extract.read import read_notice
from extract.snapshot import sha256_file, take_snapshot
from tests.conftest import BUNDLED

PAGE = BUNDLED.read_bytes()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/haicheng-2023.txt")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def _task_text(folder: Path, task_no: int) -> str:
    tasks = pd.read_parquet(folder / "data" / "tasks.parquet")
    return str(tasks.loc[tasks["task_no"] == task_no, "text"].iloc[0])


def test_a_tampered_parsed_notice_is_parsed_again_never_published(
        prefect_harness: None, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from flows.release import release

    first = release(out=str(tmp_path))
    assert _task_text(Path(first["folder"]), 1) == "地区生产总值增长6.5%以上。"
    [parsed] = sorted((tmp_path / ".cache" / "parsed").glob("*.json"))
    text = parsed.read_text(encoding="utf-8")
    edits = {"edited": text.replace("增长6.5%以上", "增长99%以上").encode("utf-8"),  # valid JSON, valid notice
             "truncated": text.encode("utf-8")[:5000],
             "garbled": b"\xff\xfe\x00garbage" + text.encode("utf-8")[100:]}
    capfd.readouterr()
    for what, data in edits.items():
        parsed.write_bytes(data)
        # another option than the first run's, so that the run is not skipped as unchanged before the cache
        again = release(out=str(tmp_path), allow_unknown=True)
        assert _task_text(Path(again["folder"]), 1) == "地区生产总值增长6.5%以上。", what
        assert again["content_sha256"] == first["content_sha256"], what
        err = capfd.readouterr().err
        assert f"govtasks: note: {parsed}: the cached parsed notice does not match its recorded sha256" in err, what
    assert "6.5%以上" in parsed.read_text(encoding="utf-8")  # rebuilt in place


def test_a_tampered_url_snapshot_is_rewritten_from_the_fetched_bytes(
        server: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    url = f"http://{server}/haicheng-2023.txt"
    snap = take_snapshot(url, tmp_path)
    Path(snap.path).write_bytes(PAGE.replace("增长6.5%以上".encode(), "增长99%以上".encode()))
    again = take_snapshot(url, tmp_path)
    assert again.path == snap.path and sha256_file(Path(again.path)) == again.sha256 == snap.sha256
    assert "the cached snapshot does not match its sha256" in capfd.readouterr().err
    assert read_notice(again).tasks[0].text == "地区生产总值增长6.5%以上。"


def test_a_snapshot_that_changes_before_it_is_read_is_refused(server: str, tmp_path: Path) -> None:
    snap = take_snapshot(f"http://{server}/haicheng-2023.txt", tmp_path)
    Path(snap.path).write_bytes(PAGE.replace("增长6.5%以上".encode(), "增长99%以上".encode()))
    with pytest.raises(NoticeError, match=r"^haicheng-2023\.txt: the file changed after its snapshot was taken"):
        read_notice(snap)


def test_a_damaged_fetch_log_is_started_afresh(server: str, tmp_path: Path,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    url = f"http://{server}/haicheng-2023.txt"
    take_snapshot(url, tmp_path)
    log = tmp_path / "fetched.json"
    log.write_bytes(log.read_bytes()[:7] + b"\xff\xfe")  # truncated, and not UTF-8
    snap = take_snapshot(url, tmp_path)
    assert "fetched.json: the fetch log is damaged (UnicodeDecodeError); started afresh" in capfd.readouterr().err
    assert json.loads(log.read_text(encoding="utf-8")) == {url: {snap.sha256: snap.fetched_at}}


def test_a_parsed_notice_without_its_sidecar_is_parsed_again(tmp_path: Path,
                                                             capfd: pytest.CaptureFixture[str]) -> None:
    from extract.cache import is_cached, load_parsed, sidecar, write_parsed
    from extract.snapshot import snapshot_local

    snap = snapshot_local(BUNDLED)
    path = tmp_path / f"{snap.sha256}-x.json"
    write_parsed(path, read_notice(snap))
    assert is_cached(path, snap.sha256) and not is_cached(path, "0" * 64)
    sidecar(path).unlink()
    assert not is_cached(path, snap.sha256)
    assert len(load_parsed(path, snap).tasks) == 102 and is_cached(path, snap.sha256)
    assert "has no recorded sha256" in capfd.readouterr().err


def test_credentials_never_reach_a_published_or_cached_file(prefect_harness: None, server: str,
                                                             tmp_path: Path) -> None:
    from flows.release import release

    result = release(sources=[f"http://user:secret@{server}/moved"], out=str(tmp_path))
    folder = Path(result["folder"])
    with (folder / "data" / "notices.csv").open(encoding="utf-8") as f:
        notice = next(csv.DictReader(f))
    assert (notice["source_url"], notice["final_url"]) == (f"http://{server}/moved",
                                                           f"http://{server}/haicheng-2023.txt")
    meta = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    assert "final_url" in json.dumps(meta) and f"http://{server}/haicheng-2023.txt" in json.dumps(meta)
    leaks = [p for p in tmp_path.rglob("*")
             if p.is_file() and (b"secret" in p.read_bytes() or b"user:" in p.read_bytes())]
    assert leaks == []


def test_credentials_never_reach_prefects_database(server: str, tmp_path: Path) -> None:
    """Through the CLI, flow parameters (stored by Prefect under PREFECT_HOME) carry no password (a
    distinctive one: Prefect's own tables contain the word "secret")."""
    home = tmp_path / "prefect-home"
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "release", f"http://alice:pw-7f3a9c@{server}/moved",
                           "--out", str(tmp_path / "out"), "-q"],
                          env={**os.environ, "PREFECT_HOME": str(home)}, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "release published: " in proc.stdout  # flushed before the CLI's immediate exit (flows.cli.main)
    assert (home / "prefect.db").is_file()  # the run was recorded there
    leaks = [str(p) for p in tmp_path.rglob("*")
             if p.is_file() and (b"pw-7f3a9c" in p.read_bytes() or b"alice:" in p.read_bytes())]
    assert leaks == []
    assert "pw-7f3a9c" not in proc.stdout + proc.stderr


def test_credentials_in_a_manifest_never_reach_prefects_database_or_the_release(server: str, tmp_path: Path) -> None:
    """A manifest is the way the README recommends for URLs with credentials: only its path is a flow
    parameter, and the URLs it lists are published without their userinfo."""
    manifest = tmp_path / "sources.csv"
    manifest.write_text(f"jurisdiction,year,source\n海城市,2023,http://alice:pw-7f3a9c@{server}/moved\n",
                        encoding="utf-8")
    home = tmp_path / "prefect-home"
    proc = subprocess.run([sys.executable, "-m", "flows.cli", "release", str(manifest),
                           "--out", str(tmp_path / "out"), "-q"],
                          env={**os.environ, "PREFECT_HOME": str(home)}, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (home / "prefect.db").is_file()
    with (tmp_path / "out" / "latest" / "data" / "notices.csv").open(encoding="utf-8") as f:
        assert next(csv.DictReader(f))["source_url"] == f"http://{server}/moved"
    leaks = [str(p) for p in tmp_path.rglob("*") if p.is_file() and p != manifest
             and (b"pw-7f3a9c" in p.read_bytes() or b"alice:" in p.read_bytes())]
    assert leaks == []
    assert "pw-7f3a9c" not in proc.stdout + proc.stderr

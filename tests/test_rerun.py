"""Reruns on the same inputs give byte-identical files and metadata and identical database content; the
one clock value, the release's created time, stands only in the metadata files that name it; a rerun
into the same folder with nothing changed publishes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from output.release import CLOCK_FILES
from transform.schema import TABLES


def _created(folder: Path) -> str:
    return json.loads((folder / "release.json").read_text(encoding="utf-8"))["created"]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file but the database (its bytes depend on DuckDB's layout) and SHA256SUMS (which lists the
    database), with the created time (and date) replaced in the files that hold it."""
    created = _created(folder)
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or rel in ("govtasks.duckdb", "SHA256SUMS"):
            continue
        data = p.read_bytes()
        if rel in CLOCK_FILES:
            data = data.replace(created.encode(), b"<created>").replace(created[:10].encode(), b"<date>")
        else:
            assert created.encode() not in data, rel  # the clock stays out of data files and documents
        out[rel] = data
    return out


def _db_content(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {t.name: con.execute(f'SELECT * FROM "{t.name}" ORDER BY ALL').fetchall() for t in TABLES}
        out["task_responsibilities"] = con.execute("SELECT * FROM task_responsibilities").fetchall()
        return out
    finally:
        con.close()


def test_rerun_is_byte_identical(reference_release: Path, tmp_path: Path) -> None:
    from flows.release import release

    again = Path(release(out=str(tmp_path))["folder"])
    assert again.name != reference_release.name or again.parent != reference_release.parent
    first, second = _files(reference_release), _files(again)
    assert sorted(first) == sorted(second)
    changed = [name for name in first if first[name] != second[name]]
    assert changed == []
    assert _db_content(reference_release / "govtasks.duckdb") == _db_content(again / "govtasks.duckdb")


def test_second_run_in_the_same_folder_reuses_the_parse_cache_and_publishes_nothing(tmp_path: Path) -> None:
    from flows.release import release

    first = release(out=str(tmp_path))
    parsed = sorted((tmp_path / ".cache" / "parsed").glob("*.json"))
    mtimes = [p.stat().st_mtime_ns for p in parsed]
    before = {p.name for p in tmp_path.iterdir()}
    second = release(out=str(tmp_path))
    assert [p.stat().st_mtime_ns for p in parsed] == mtimes  # not parsed again
    assert second["unchanged"] and second["change"] == "none" and second["version"] == "1.0.0"
    assert Path(second["folder"]) == Path(first["folder"]).resolve() == (tmp_path / "1.0.0").resolve()
    assert {p.name for p in tmp_path.iterdir()} == before == {".cache", "1.0.0", "latest"}
    assert (tmp_path / "latest").resolve() == Path(first["folder"]).resolve()
    assert first["content_sha256"] == second["content_sha256"]

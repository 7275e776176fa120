"""Reruns on the same inputs give byte-identical files and metadata and identical database content."""

from __future__ import annotations

from pathlib import Path

import duckdb

from transform.schema import TABLES


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "govtasks.duckdb"}


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


def test_second_run_in_the_same_folder_reuses_the_parse_cache(tmp_path: Path) -> None:
    from flows.release import release

    first = release(out=str(tmp_path))
    parsed = sorted((tmp_path / ".cache" / "parsed").glob("*.json"))
    mtimes = [p.stat().st_mtime_ns for p in parsed]
    second = release(out=str(tmp_path))
    assert [p.stat().st_mtime_ns for p in parsed] == mtimes  # not parsed again
    assert Path(second["folder"]) != Path(first["folder"])
    assert (tmp_path / "latest").resolve() == Path(second["folder"]).resolve()
    assert first["content_sha256"] == second["content_sha256"]

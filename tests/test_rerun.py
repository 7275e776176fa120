"""Reruns on the same inputs give byte-identical files and metadata and identical database content; the
one clock value, the release's created time, stands only in the metadata files that name it; a rerun
into the same folder with nothing changed publishes nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from output.release import CLOCK_FILES
from transform.schema import TABLES


def _created(folder: Path) -> str:
    return json.loads((folder / "release.json").read_text(encoding="utf-8"))["created"]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file but the database (its bytes depend on DuckDB's layout) and SHA256SUMS (which lists the
    database), with the created time (and date) and the database's sha256 replaced in the metadata files
    that hold them."""
    created = _created(folder)
    db_sha = hashlib.sha256((folder / "govtasks.duckdb").read_bytes()).hexdigest().encode()
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or rel in ("govtasks.duckdb", "SHA256SUMS"):
            continue
        data = p.read_bytes()
        if rel in CLOCK_FILES:
            data = data.replace(created.encode(), b"<created>").replace(created[:10].encode(), b"<date>")
            data = data.replace(db_sha, b"<database sha256>")
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


def test_unchanged_rerun_in_the_same_folder_publishes_nothing(tmp_path: Path) -> None:
    from flows.release import release

    first = release(out=str(tmp_path))
    assert first["unchanged"] is False
    parsed = sorted((tmp_path / ".cache" / "parsed").glob("*.json"))
    mtimes = [p.stat().st_mtime_ns for p in parsed]
    before = {p.name for p in tmp_path.iterdir()}
    second = release(out=str(tmp_path))
    assert second["unchanged"] is True
    assert Path(second["folder"]) == Path(first["folder"]).resolve()  # the release it is the same as
    assert [p.stat().st_mtime_ns for p in parsed] == mtimes  # not parsed again
    assert second["unchanged"] and second["change"] == "none" and second["version"] == "1.0.0"
    assert Path(second["folder"]) == Path(first["folder"]).resolve() == (tmp_path / "1.0.0").resolve()
    assert {p.name for p in tmp_path.iterdir()} == before == {".cache", "1.0.0", "latest"}
    assert (tmp_path / "latest").resolve() == Path(first["folder"]).resolve()
    assert first["content_sha256"] == second["content_sha256"]
    # another option is another run (not the fast path), but the same data: still no new version
    third = release(out=str(tmp_path), allow_unknown=True)
    assert third["change"] == "none" and Path(third["folder"]) == Path(first["folder"]).resolve()
    assert third["content_sha256"] == first["content_sha256"]
    assert [p.stat().st_mtime_ns for p in parsed] == mtimes


def test_one_changed_notice_is_the_only_one_parsed_again(tmp_path: Path) -> None:
    from flows.release import release

    fixtures = Path(__file__).parent / "fixtures" / "yoy"
    a, b = tmp_path / "shili-2023.txt", tmp_path / "shili-2024.txt"
    a.write_bytes((fixtures / a.name).read_bytes())
    b.write_bytes((fixtures / b.name).read_bytes())
    out = tmp_path / "out"
    first = release(sources=[str(a), str(b)], out=str(out), allow_unknown=True)
    cache = out / ".cache" / "parsed"
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.json")}
    assert len(before) == 2
    b.write_text(b.read_text(encoding="utf-8").replace("庭院经济", "庭院特色经济", 1), encoding="utf-8")
    second = release(sources=[str(a), str(b)], out=str(out), allow_unknown=True)
    assert second["unchanged"] is False and second["content_sha256"] != first["content_sha256"]
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.json")}
    assert {k: v for k, v in after.items() if k in before} == before  # the unchanged ones: not parsed again
    assert len(after) == 3  # the changed notice: parsed once more, under its new sha256
    import json

    info = json.loads((Path(second["folder"]) / "release.json").read_text(encoding="utf-8"))
    assert info["run_fingerprint"] == second["run_fingerprint"] != first["run_fingerprint"]

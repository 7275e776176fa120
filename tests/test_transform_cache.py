"""The transform cache (transform/rows_cache.py): a rerun with one notice changed builds names, targets
and year over year again for that notice and its jurisdiction only, the release is byte for byte the
release a cold run gives, and a cached file that does not verify is rebuilt, never used. Real flows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "yoy"


def _cache(out: Path, kind: str) -> dict[str, int]:
    """Cached files of `kind` (rows, yoy) under `out`: name → mtime."""
    from transform.rows_cache import SUFFIX

    [folder] = (out / ".cache" / "transform").iterdir()  # one code version
    return {p.name: p.stat().st_mtime_ns for p in (folder / kind).glob(f"*{SUFFIX}")}


def _tables(folder: Path) -> dict[str, str]:
    """sha256 of every table's CSV (the Parquet files also record the release's version)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "data").glob("*.csv"))}


def _sources(tmp_path: Path) -> list[Path]:
    out = []
    for name in ("shili-2023.txt", "shili-2024.txt"):
        p = tmp_path / name
        p.write_bytes((FIXTURES / name).read_bytes())
        out.append(p)
    return out


def test_one_changed_notice_is_the_only_one_built_again(prefect_harness: None, tmp_path: Path) -> None:
    from flows.release import release

    a, b = _sources(tmp_path)
    out = tmp_path / "out"
    release(sources=[str(a), str(b)], out=str(out), allow_unknown=True)
    rows, yoy = _cache(out, "rows"), _cache(out, "yoy")
    assert len(rows) == 2 and len(yoy) == 1  # two notices, one jurisdiction
    b.write_text(b.read_text(encoding="utf-8").replace("庭院经济", "庭院特色经济", 1), encoding="utf-8")
    second = release(sources=[str(a), str(b)], out=str(out), allow_unknown=True)
    rows2, yoy2 = _cache(out, "rows"), _cache(out, "yoy")
    assert len(rows2) == 3 and {k: v for k, v in rows2.items() if k in rows} == rows  # one notice built again
    assert len(yoy2) == 2  # its jurisdiction compared again, under a new key
    cold = release(sources=[str(a), str(b)], out=str(tmp_path / "cold"), allow_unknown=True)
    assert _tables(Path(second["folder"])) == _tables(Path(cold["folder"]))  # warm cache = cold run
    assert second["content_sha256"] == cold["content_sha256"] and len(_tables(Path(cold["folder"]))) > 10
    tasks = pd.read_parquet(Path(second["folder"]) / "data" / "tasks.parquet")
    assert tasks["text"].str.contains("庭院特色经济").any()


def test_a_tampered_cached_file_is_rebuilt_never_published(prefect_harness: None, tmp_path: Path,
                                                          capfd: pytest.CaptureFixture[str]) -> None:
    from flows.release import release

    first = release(out=str(tmp_path))  # the bundled notice
    [folder] = (tmp_path / ".cache" / "transform").iterdir()
    victims = [next((folder / "rows").glob("*.arrow")), next((folder / "yoy").glob("*.arrow"))]
    city, province = "海城市".encode(), "海城省".encode()
    for path in victims:
        body = path.read_bytes()
        assert city in body
        path.write_bytes(body.replace(city, province))  # still Arrow, wrong names
    capfd.readouterr()
    again = release(out=str(tmp_path), allow_unknown=True)  # another option: not skipped as unchanged
    assert again["change"] == "none" and again["content_sha256"] == first["content_sha256"]
    err = capfd.readouterr().err
    for path in victims:
        assert f"govtasks: note: {path}: the cached" in err
    assert err.count("does not match its recorded sha256 (edited or damaged); building them again") == 2
    assert all(city in p.read_bytes() and province not in p.read_bytes() for p in victims)  # rebuilt in place


def test_other_code_versions_are_removed(prefect_harness: None, tmp_path: Path) -> None:
    from flows.release import release

    a, b = _sources(tmp_path)
    out = tmp_path / "out"
    stale = out / ".cache" / "transform" / "0000000000000000-0000000000000000" / "rows"
    stale.mkdir(parents=True)
    (stale / "x.json").write_text("{}", encoding="utf-8")
    release(sources=[str(a), str(b)], out=str(out), allow_unknown=True)
    assert not stale.exists()
    assert len(list((out / ".cache" / "transform").iterdir())) == 1


def test_rows_read_here_and_built_in_workers_give_the_cold_release(prefect_harness: None, tmp_path: Path) -> None:
    """Cached rows (Arrow) are read in this process and the others built in the worker pool (more
    than PARALLEL_FROM of them): merged in notice order, they give the release of a cold run."""
    import shutil

    import extract.pool
    from extract.pool import PARALLEL_FROM
    from flows.release import release
    from tests.test_release_in_workers import _sources as many_sources

    if extract.pool.workers() < 2:
        pytest.skip("needs two cores")
    sources = many_sources(tmp_path / "notices")
    out = tmp_path / "out"
    cold = release(sources=sources, out=str(out), allow_unknown=True)
    cold_tables = _tables(Path(cold["folder"]))
    for p in out.iterdir():  # no earlier release (it would make the rerun "unchanged"); the caches stay
        if p.name != ".cache":
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    [folder] = (out / ".cache" / "transform").iterdir()
    rows = sorted((folder / "rows").glob("*.arrow"))
    assert len(rows) == PARALLEL_FROM + 4
    kept = {p.name: p.stat().st_mtime_ns for p in rows[:3]}
    for p in rows[3:]:  # all but three built again, in the workers
        p.unlink()
    for p in (folder / "yoy").glob("*.arrow"):
        p.unlink()
    extract.pool.close_pool()
    warm = release(sources=sources, out=str(out), allow_unknown=True)
    assert extract.pool._pool is not None  # the rows were built in worker processes
    assert {name: (folder / "rows" / name).stat().st_mtime_ns for name in kept} == kept  # read, not rebuilt
    assert len(list((folder / "rows").glob("*.arrow"))) == PARALLEL_FROM + 4
    assert _tables(Path(warm["folder"])) == cold_tables and warm["content_sha256"] == cold["content_sha256"]


def test_a_packed_file_that_does_not_unpack_is_refused_with_its_name(tmp_path: Path,
                                                                     capfd: pytest.CaptureFixture[str]) -> None:
    """A cached file whose sidecar matches but whose bytes are not a pack (or name a table outside the
    file) is noted and built again, never read past its end."""
    import pyarrow as pa

    from extract.cache import write_checked
    from transform import rows_cache

    good = rows_cache.pack_rows({"tasks": pa.table({"task_id": ["t1"]})}, {"units": {}})
    assert rows_cache.unpack_rows(good)[0]["tasks"].column("task_id").to_pylist() == ["t1"]
    start = len(rows_cache.PACK_MAGIC) + 8
    size = int.from_bytes(good[len(rows_cache.PACK_MAGIC):start], "little")
    header = good[start:start + size].replace(b'"tasks",0,', b'"tasks",999999,')
    assert header != good[start:start + size]
    for body in (b"{}", good[:-5], good[:start] + header + good[start + size:]):
        path = rows_cache.file_of(tmp_path, "rows", "k")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_checked(path, body, "k")  # the sidecar agrees: only decoding can tell
        capfd.readouterr()
        assert rows_cache.load_packed(tmp_path, "rows", "k") is None
        assert f"govtasks: note: {path}: the cached rows does not decode" in capfd.readouterr().err

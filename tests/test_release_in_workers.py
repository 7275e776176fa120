"""A release of many notices runs its stages in worker processes (extract.pool: parsing, names and
targets, year over year, the outputs beside the gate): the release is byte for byte the one a single
process makes, and a gate that fails there still publishes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import extract.pool
from extract.pool import PARALLEL_FROM
from quality.gate import GateFailure
from tests.test_rerun import _db_content, _files
from transform.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "yoy"


def _sources(folder: Path) -> list[str]:
    """PARALLEL_FROM + 4 notices: the bundled one under other cities' names, and two jurisdictions with
    two years each (so that years are compared in workers)."""
    text = (ROOT / "data" / "notices" / "haicheng-2023.txt").read_text(encoding="utf-8")
    with (ROOT / "extract" / "divisions.csv").open(encoding="utf-8") as f:
        cities = [r["name"] for r in csv.DictReader(f) if r["level"] == "prefecture" and r["name"].endswith("市")]
    folder.mkdir()
    out = []
    for i, city in enumerate(cities[:PARALLEL_FROM]):
        p = folder / f"n{i:02d}.txt"
        p.write_text(text.replace("海城市", city), encoding="utf-8")
        out.append(str(p))
    manifest = folder / "more.csv"
    years = [("清河县", 2023, "shili-2023.txt"), ("清河县", 2024, "shili-2024.txt"),
             ("台安县", 2023, "perchapter-2023.txt"), ("台安县", 2024, "perchapter-2024.txt")]
    manifest.write_text("jurisdiction,year,source\n" + "".join(f"{j},{y},{FIXTURES / f}\n" for j, y, f in years),
                        encoding="utf-8")
    return [*out, str(manifest)]


def _without_database_size(folder: Path) -> dict[str, bytes]:
    """`_files`, with the database's size also left out of the catalogue records (DuckDB's file layout,
    so its size, may differ between two writes of the same content)."""
    size = str((folder / "govtasks.duckdb").stat().st_size).encode()
    return {name: data.replace(size, b"<database size>") if name.startswith("catalog") else data
            for name, data in _files(folder).items()}


@pytest.mark.usefixtures("prefect_harness")
def test_workers_give_the_release_of_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.release import release

    if extract.pool.workers() < 2:
        pytest.skip("needs two cores")
    sources = _sources(tmp_path / "notices")
    extract.pool.close_pool()
    many = release(sources=sources, out=str(tmp_path / "workers"), allow_unknown=True)
    assert extract.pool._pool is not None  # the stages did run in worker processes
    with monkeypatch.context() as m:
        m.setattr(extract.pool, "workers", lambda: 1)  # no pool: every stage in this process
        one = release(sources=sources, out=str(tmp_path / "one"), allow_unknown=True)
    a, b = _without_database_size(Path(many["folder"])), _without_database_size(Path(one["folder"]))
    assert sorted(a) == sorted(b) and len([n for n in a if n.startswith("data/")]) == 2 * len(TABLES)
    assert [n for n in a if a[n] != b[n]] == []  # every file but the database's bytes and SHA256SUMS
    assert _db_content(Path(many["folder"]) / "govtasks.duckdb") == _db_content(Path(one["folder"]) / "govtasks.duckdb")
    assert many["rows"]["notices"] == PARALLEL_FROM + 4 and many["rows"]["yoy_task_links"] > 0


@pytest.mark.usefixtures("prefect_harness")
def test_a_failing_gate_beside_the_output_worker_publishes_nothing(tmp_path: Path) -> None:
    from flows.release import release

    out = tmp_path / "out"
    first = release(out=str(out))  # the bundled notice: a good release
    with pytest.raises(GateFailure, match="unknown"):  # other cities' units are not in the registry
        release(sources=_sources(tmp_path / "notices"), out=str(out))
    assert (out / "latest").resolve() == Path(first["folder"]).resolve()
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".staging")) == []
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["1.0.0", "latest"]

"""Scale-out: a release on a Dask LocalCluster (prefect-dask's DaskTaskRunner, per-notice and
per-jurisdiction work in mapped batches) is byte for byte the release of the default runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from transform.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "yoy"


def _data_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "data").iterdir())}


@pytest.mark.usefixtures("prefect_harness")
def test_release_on_a_local_dask_cluster_is_byte_identical(tmp_path: Path) -> None:
    from prefect_dask import DaskTaskRunner

    from flows.release import release

    entries = [("海城市", 2023, ROOT / "data" / "notices" / "haicheng-2023.txt"),
               ("清河县", 2023, FIXTURES / "shili-2023.txt"), ("清河县", 2024, FIXTURES / "shili-2024.txt"),
               ("台安县", 2023, FIXTURES / "perchapter-2023.txt"), ("台安县", 2024, FIXTURES / "perchapter-2024.txt")]
    manifest = tmp_path / "notices.csv"
    manifest.write_text("jurisdiction,year,source\n" + "".join(f"{j},{y},{p}\n" for j, y, p in entries),
                        encoding="utf-8")
    sources = [str(manifest)]
    default = release(sources=sources, out=str(tmp_path / "default"), allow_unknown=True)
    runner = DaskTaskRunner(cluster_class="distributed.LocalCluster",
                            cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                            "dashboard_address": None})
    dask = release.with_options(task_runner=runner)(sources=sources, out=str(tmp_path / "dask"),
                                                     allow_unknown=True, batch_size=2)
    a, b = _data_files(Path(default["folder"])), _data_files(Path(dask["folder"]))
    assert len(a) == 2 * len(TABLES) and sorted(a) == sorted(b)  # every table, Parquet and CSV
    assert [name for name in a if a[name] != b[name]] == []
    assert default["content_sha256"] == dask["content_sha256"]
    assert default["rows"]["yoy_task_links"] > 0  # years were compared, in batches of jurisdictions
    links = (Path(dask["folder"]) / "data" / "yoy_task_links.csv").read_text(encoding="utf-8")
    assert "台安县-2023-2024" in links and "清河县-2023-2024" in links
    assert dask["rows"] == default["rows"]


def test_a_notice_error_survives_pickling_between_processes() -> None:
    import pickle

    from extract.errors import NoticeError

    e = pickle.loads(pickle.dumps(NoticeError("plan.txt", "no tasks found", 3)))
    assert (type(e), str(e), e.line, e.problem) == (NoticeError, "plan.txt:3: no tasks found", 3, "no tasks found")

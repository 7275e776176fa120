"""The generated hostile corpus (tests/hostile.py): every file is refused with one line naming it, in
bounded memory, or read correctly — never a crash, an abort, a traceback or silently wrong data.

Files that attack memory are read in a child Python (`sys.executable`) whose address space is capped
at 3 GiB, so a regression fails the test instead of the machine; the child reports its peak memory
(its own and its decoding worker's), which must stay under 1 GiB. No timing is asserted.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from extract.errors import GovtasksError, NoticeError
from extract.model import Source
from extract.parse import parse_notice
from extract.read import read_bytes, read_notice
from extract.snapshot import snapshot_local
from tests import hostile as H
from tests.conftest import ROOT

GIB = 1024 * 1024 * 1024
CHILD = """
import resource, sys
from pathlib import Path
from extract.errors import GovtasksError
from extract.read import read_notice
from extract.snapshot import snapshot_local
try:
    n = read_notice(snapshot_local(Path(sys.argv[1])))
    print("read", len(n.tasks))
    code = 0
except GovtasksError as e:
    print(e, file=sys.stderr)
    code = 1
peak = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print("peak", peak * 1024)
sys.exit(code)
"""


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 * GIB, resource.RLIM_INFINITY))


def read_in_child(path: Path) -> tuple[int, str, int]:
    """(exit status, stderr, peak bytes) of reading `path` in a capped child Python."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, preexec_fn=_cap, check=False)
    peak = next((int(ln.split()[1]) for ln in proc.stdout.splitlines() if ln.startswith("peak ")), -1)
    return proc.returncode, proc.stderr, peak


def refused_in_child(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    code, err, peak = read_in_child(path)
    assert code == 1, (code, err[-2000:])
    assert err.count("\n") == 1 and err.startswith(f"{name}:"), err[-2000:]
    assert "Traceback" not in err
    assert 0 < peak < GIB, peak
    return err.strip()


@pytest.mark.parametrize("ref", ["XFD1048576", "ALL100000"])
def test_xlsx_cell_far_out_is_refused_before_calamine_allocates(tmp_path: Path, ref: str) -> None:
    err = refused_in_child(tmp_path, "far.xlsx", H.xlsx_with_far_cell(ref))
    assert "XLSX refused: xl/worksheets/sheet1.xml" in err and "cells (limit 2,000,000)" in err


def test_xlsx_declared_dimension_is_checked(tmp_path: Path) -> None:
    err = refused_in_child(tmp_path, "dim.xlsx", H.xlsx_with_dimension("A1:XFD1048576"))
    assert "XLSX refused" in err and "XFD1048576" in err


def test_docx_with_a_million_elements_is_refused(tmp_path: Path) -> None:
    err = refused_in_child(tmp_path, "many.docx", H.docx_with_many_elements(1_050_000))
    assert err.endswith("DOCX refused: more than 1,000,000 XML elements (limit)")


def test_huge_sparse_text_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sparse.txt"
    with path.open("wb") as f:
        f.write("海城市人民政府\n".encode())
        f.truncate(3 * GIB)  # 3 GB on paper, a few bytes on disk
    code, err, peak = read_in_child(path)
    assert code == 1 and err == ("sparse.txt: refused: the file is 3,221,225,472 bytes, larger than 20 MB "
                                 "(limit 20,971,520 bytes)\n")
    assert 0 < peak < GIB


def test_one_endless_line_is_refused(tmp_path: Path) -> None:
    err = refused_in_child(tmp_path, "line.txt", H.one_line_text(19 * 1024 * 1024))
    assert err.startswith("line.txt:1: refused: the line is ") and "characters long (limit 100,000)" in err


def test_a_worker_ended_by_its_cpu_limit_is_a_clear_error() -> None:
    from extract.decode_worker import decode_bounded
    from tests import extract_renditions as R

    with pytest.raises(NoticeError) as e:
        decode_bounded(R.docx_table(), "plan.docx", "docx", cpu=0)
    assert str(e.value).startswith("plan.docx: DOCX refused: the decoding worker stopped with SIGXCPU")
    lines, _ = decode_bounded(R.docx_table(), "plan.docx", "docx")
    assert any("地区生产总值增长6.5%以上" in ln.text for ln in lines)


def test_docx_entity_declared_past_the_first_4_kb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "entity.docx"
    path.write_bytes(H.docx_with_late_entity())
    with pytest.raises(NoticeError) as e:
        read_notice(snapshot_local(path))
    assert str(e.value) == "entity.docx: DOCX refused: word/document.xml declares a DOCTYPE (entities are not read)"


def test_notice_with_task_numbers_past_9999_reads_every_task() -> None:
    lines, _, _ = read_bytes(H.many_tasks(10_005), "big.txt")
    n = parse_notice(lines, Source("big.txt", "0" * 64))
    assert len(n.tasks) == 10_005 and [t.task_no for t in n.tasks[-6:]] == list(range(10_000, 10_006))
    t = n.tasks[10_000 - 1]
    assert (t.task_no, t.text, t.lead_units, t.other_units) == (10_000, "推进第10000项重点工作。", "县发展和改革局",
                                                                 "县财政局")


def test_task_number_beyond_the_limit_is_refused_at_its_line() -> None:
    data = H.many_tasks(2) + H.many_tasks(1, first=20_001).split("一、经济社会发展主要目标\n".encode())[1]
    lines, _, _ = read_bytes(data, "far.txt")
    with pytest.raises(NoticeError) as e:
        parse_notice(lines, Source("far.txt", "0" * 64))
    assert str(e.value) == "far.txt:13: refused: more than 20,000 tasks (task 20,001 here; the notice has 3)"


def test_unknown_names_are_capped_in_the_message() -> None:
    from transform.names import load_registry, unknown_message, unknown_names
    from transform.tables import build_tables

    lines, _, _ = read_bytes(H.many_tasks(50, unknown=True), "u.txt")
    n = parse_notice(lines, Source("u.txt", "0" * 64))
    reg = load_registry()
    msg = unknown_message(unknown_names(build_tables([n], reg), reg)).split("\n")
    assert msg[0].startswith("50 unknown unit name(s) (50 distinct: ") and "… and 40 more). Add each" in msg[0]
    assert len(msg) == 1 + 10 + 1 and msg[-1] == "  … and 40 more"
    assert msg[1].startswith("  u.txt:5: task 1 (lead #1): unknown unit '某某1号工作专班'")


def test_a_file_name_with_a_newline_keeps_the_error_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname\x1b[31m.txt"
    path.write_bytes(b"")
    with pytest.raises(NoticeError) as e:
        read_notice(snapshot_local(path))
    assert str(e.value) == "bad\\nname\\x1b[31m.txt: the file is empty"


def test_mixed_encodings_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(H.mixed_encoding(41))
    with pytest.raises(NoticeError) as e:
        read_notice(snapshot_local(path))
    assert (e.value.source, e.value.line) == ("mixed.txt", 41) and "mixed encodings" in e.value.problem


def test_a_full_disk_names_the_cache_file(tmp_path: Path) -> None:
    from extract.parse_many import parse_snapshot

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux) to give a real ENOSPC")
    src = tmp_path / "n.txt"
    src.write_bytes(H.many_tasks(3))
    target = tmp_path / "parsed.json"
    (tmp_path / f"parsed.json.{os.getpid()}.part").symlink_to("/dev/full")  # the write lands on a full device
    with pytest.raises(GovtasksError) as e:
        parse_snapshot(snapshot_local(src), str(target))
    assert str(e.value) == f"cannot write {target}: No space left on device"
    assert not target.exists()

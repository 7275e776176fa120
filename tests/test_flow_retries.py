"""The snapshot task retries only what a second try can fix."""

from __future__ import annotations

from prefect.states import Failed

from extract.errors import NoticeError
from flows.release import snapshot_sources, transient


def test_a_bad_source_is_not_retried() -> None:
    assert not transient(snapshot_sources, None, Failed(data=NoticeError("x.txt", "no such file")))


def test_an_unexpected_io_error_is_retried() -> None:
    assert transient(snapshot_sources, None, Failed(data=ConnectionResetError("peer reset")))
    assert snapshot_sources.retries == 2
    assert snapshot_sources.retry_condition_fn is transient  # the condition is what the task really uses

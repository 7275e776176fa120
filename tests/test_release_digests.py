"""A release's files are hashed once while it is written (output.metadata.remembered_digests), and
only then: outside, a file that changed gives its new digest."""

from __future__ import annotations

import hashlib
from pathlib import Path

from output.metadata import remembered_digests, sha256_of


def test_digests_are_remembered_only_while_a_release_is_written(tmp_path: Path) -> None:
    f = tmp_path / "tasks.csv"
    f.write_bytes(b"a,b\n")
    first = hashlib.sha256(b"a,b\n").hexdigest()
    with remembered_digests():
        assert sha256_of(f) == first
        f.write_bytes(b"c,d\n")  # never done to a release's file once written; shows the memo is used
        assert sha256_of(f) == first
        with remembered_digests():  # nested: a memo of its own
            assert sha256_of(f) == hashlib.sha256(b"c,d\n").hexdigest()
    assert sha256_of(f) == hashlib.sha256(b"c,d\n").hexdigest()
    f.write_bytes(b"e,f\n")
    assert sha256_of(f) == hashlib.sha256(b"e,f\n").hexdigest()

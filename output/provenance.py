"""Fingerprints of the code and reference data a release was made with (no clock, no paths).

`extract_fingerprint` keys the parse cache: a notice is parsed again when extract/'s code or reference
data, or a library that decodes notices, changes. `code_fingerprint` is recorded in release.json so a
release says exactly which code and reference data made it, beyond the version number.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "transform", "quality", "output", "flows")
SUFFIXES = (".py", ".yaml", ".yml", ".csv", ".sql")
# Libraries whose upgrade can change how a notice's bytes are read.
DECODERS = ("charset-normalizer", "selectolax", "lxml", "python-docx", "python-calamine", "pdfplumber", "pdfminer.six",
            "opencc", "cn2an")


def tree_hash(folders: list[Path]) -> str:
    """sha256 over the relative paths and bytes of the code and data files below `folders`."""
    h = hashlib.sha256()
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts:
                h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "absent"


@cache
def extract_fingerprint() -> str:
    """Cache key part for parsed notices: extract/'s files and the decoding libraries' versions."""
    libs = ";".join(f"{p}={_version(p)}" for p in DECODERS)
    return hashlib.sha256((tree_hash([ROOT / "extract"]) + libs).encode()).hexdigest()[:16]


@cache
def code_fingerprint() -> str:
    """sha256 of every code and reference-data file of the five packages."""
    return tree_hash([ROOT / p for p in PACKAGES])

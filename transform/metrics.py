"""Metric ids: which statistical indicator a target's printed metric names (registry/metrics.yaml).

全省地区生产总值, 全市生产总值 and GDP are one metric, `gdp`; 一般公共预算收入 and 地方一般公共预算收入 are
`general_budget_revenue`. A printed metric is folded (NFKC, Latin letters upper-cased), stripped of
white space and of level prefixes (全省, 全市, 本地 … listed in the data file), then looked up
exactly: a metric the file does not list has no id (None), never a guess.

The file is read by the project's one reference-data loader (transform.reference_files.read_yaml);
`load_metrics` checks it and fails with its path and the offending entry.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from extract.errors import NoticeError
from extract.textnorm import fold, remove_whitespace
from transform.reference_files import read_yaml

METRICS_FILE = Path(__file__).with_name("registry") / "metrics.yaml"


@dataclass(frozen=True)
class Metric:
    """One indicator: its id, official Chinese name, English name and every spelling with its reason."""

    metric_id: str
    name: str
    en: str
    spellings: dict[str, str]  # spelling → reason


@dataclass(frozen=True)
class MetricVocabulary:
    metrics: dict[str, Metric]  # metric_id → Metric, in file order
    level_prefixes: tuple[str, ...]  # longest first
    by_spelling: dict[str, str]  # lookup key of a spelling → metric_id


def _key(text: str) -> str:
    """Folded (full-width letters and digits too, Latin letters in upper case), without white space."""
    return remove_whitespace(unicodedata.normalize("NFKC", fold(text))).upper()


def _fail(path: Path, problem: str) -> NoticeError:
    return NoticeError(str(path), problem)


@cache
def load_metrics(path: Path = METRICS_FILE) -> MetricVocabulary:
    """metrics.yaml, checked: ids are lower_snake_case, every spelling has a listed reason and names one
    metric only, and no spelling starts with a level prefix (it could never be looked up)."""
    data = read_yaml(path)
    reasons = set(data["reasons"])
    prefixes = tuple(sorted((_key(str(p)) for p in data["level_prefixes"]), key=len, reverse=True))
    metrics: dict[str, Metric] = {}
    by_spelling: dict[str, str] = {}
    for mid, entry in data["metrics"].items():
        mid = str(mid)
        if not mid.replace("_", "").isalnum() or not mid.islower() or not mid.isascii():
            raise _fail(path, f"metric id {mid!r} must be lower_snake_case ASCII")
        if not isinstance(entry, dict) or set(entry) != {"name", "en", "spellings"}:
            raise _fail(path, f"{mid}: an entry needs exactly name, en and spellings")
        spellings = {str(k): str(v) for k, v in entry["spellings"].items()}
        if str(entry["name"]) not in spellings:
            raise _fail(path, f"{mid}: its name {entry['name']!r} must be one of its spellings")
        for spelling, reason in spellings.items():
            key = _key(spelling)
            if reason not in reasons:
                raise _fail(path, f"{mid}: spelling {spelling!r} has reason {reason!r}, not one of "
                                  f"{', '.join(sorted(reasons))}")
            if key in by_spelling:
                raise _fail(path, f"spelling {spelling!r} is listed for both {by_spelling[key]} and {mid}")
            if any(key.startswith(p) and key != p for p in prefixes):
                raise _fail(path, f"{mid}: spelling {spelling!r} starts with a level prefix; list it without")
            by_spelling[key] = mid
        metrics[mid] = Metric(mid, str(entry["name"]), str(entry["en"]), spellings)
    return MetricVocabulary(metrics, prefixes, by_spelling)


def strip_level_prefixes(metric: str, prefixes: tuple[str, ...] | None = None) -> str:
    """`metric` folded, without white space and without leading level prefixes: 全省地区生产总值 →
    地区生产总值, 全市全年GDP → GDP. A metric that is nothing but a prefix is kept as it is."""
    prefixes = load_metrics().level_prefixes if prefixes is None else prefixes
    key = _key(metric)
    stripped = True
    while stripped:
        stripped = False
        for p in prefixes:
            if key.startswith(p) and len(key) > len(p):
                key, stripped = key[len(p):], True
                break
    return key


@lru_cache(maxsize=1 << 14)
def metric_id(metric: str | None) -> str | None:
    """The id of the indicator `metric` names (registry/metrics.yaml), or None when the file does not
    list it: 全市生产总值 → gdp, 地方一般公共预算收入 → general_budget_revenue, 新建学校 → None."""
    if not metric:
        return None
    return load_metrics().by_spelling.get(strip_level_prefixes(metric))


def metric_name(mid: str) -> str:
    """The official Chinese name of a metric id: gdp → 地区生产总值."""
    return load_metrics().metrics[mid].name

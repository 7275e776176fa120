"""Catalogue records of a release, for portals and dataset search.

- `catalog.jsonld`: a schema.org `Dataset` that is also a DCAT `dcat:Dataset` (JSON-LD): title,
  description, licence, publisher, temporal and spatial coverage, and one distribution per data file
  (media type, size, sha256 as an SPDX checksum).
- `catalog_gbt21063.json`: the core metadata elements of GB/T 21063.3 (政务信息资源目录体系 第3部分：
  核心元数据) used by Chinese government data catalogues, with the catalogue practice's 更新周期,
  共享类型 and 开放类型, the licence and the public status of the source documents.

Settings (titles, publisher, licence, classification) come from output/portal.yaml; facts (years,
jurisdictions, files, hashes) from the release itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from output.metadata import sha256_of

JSONLD = "catalog.jsonld"
GBT = "catalog_gbt21063.json"

MEDIA_TYPES = {  # by suffix: (IANA media type, format name)
    ".csv": ("text/csv", "CSV"),
    ".parquet": ("application/vnd.apache.parquet", "Parquet"),
    ".duckdb": ("application/octet-stream", "DuckDB"),  # no registered media type
}


@dataclass(frozen=True)
class Coverage:
    """What a release covers: its years and jurisdictions (with division codes where known)."""

    years: list[int]
    jurisdictions: list[tuple[str, str | None]]

    @property
    def temporal(self) -> str:
        """ISO 8601 interval of the years (`2023` or `2023/2024`)."""
        lo, hi = min(self.years), max(self.years)
        return str(lo) if lo == hi else f"{lo}/{hi}"


def data_files(folder: Path) -> list[Path]:
    """The data files of a release: data/*.csv, data/*.parquet and the database, in name order."""
    files = sorted(p for p in (folder / "data").iterdir() if p.suffix in MEDIA_TYPES)
    return files + sorted(p for p in folder.glob("*.duckdb"))


def _url(settings: dict[str, Any], version: str, rel: str) -> str:
    return f"{settings['download_base'].rstrip('/')}/{version}/{rel}"


def dataset_jsonld(folder: Path, settings: dict[str, Any], version: str, created: str,
                   coverage: Coverage) -> dict[str, Any]:
    """The schema.org / DCAT record of the release in `folder`."""
    title, desc, pub, lic = settings["title"], settings["description"], settings["publisher"], settings["license"]
    distributions = []
    for p in data_files(folder):
        rel = p.relative_to(folder).as_posix()
        media, fmt = MEDIA_TYPES[p.suffix]
        distributions.append({
            "@type": ["DataDownload", "dcat:Distribution"],
            "name": rel,
            "contentUrl": _url(settings, version, rel),
            "dcat:downloadURL": {"@id": _url(settings, version, rel)},
            "encodingFormat": media,
            "dcat:mediaType": media,
            "dct:format": fmt,
            "contentSize": str(p.stat().st_size),
            "dcat:byteSize": p.stat().st_size,
            "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                              "spdx:checksumValue": sha256_of(p)},
            "license": lic["path"],
        })
    return {
        "@context": {"@vocab": "https://schema.org/", "dcat": "http://www.w3.org/ns/dcat#",
                     "dct": "http://purl.org/dc/terms/", "spdx": "http://spdx.org/rdf/terms#"},
        "@type": ["Dataset", "dcat:Dataset"],
        "@id": _url(settings, version, ""),
        "name": [{"@language": "zh", "@value": title["zh"]}, {"@language": "en", "@value": title["en"]}],
        "dct:title": [{"@language": "zh", "@value": title["zh"]}, {"@language": "en", "@value": title["en"]}],
        "description": [{"@language": "zh", "@value": desc["zh"] + " " + settings["sources_status"]["zh"]},
                        {"@language": "en", "@value": desc["en"] + " " + settings["sources_status"]["en"]}],
        "keywords": list(settings.get("keywords", [])),
        "inLanguage": list(settings.get("language", ["zh"])),
        "version": version,
        "dcat:version": version,
        "datePublished": created,
        "dct:issued": created,
        "url": settings["landing_page"],
        "dcat:landingPage": {"@id": settings["landing_page"]},
        "license": lic["path"],
        "dct:license": {"@id": lic["path"]},
        "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": pub["name"], "alternateName": pub["name_zh"],
                      "url": pub["url"]},
        "dct:publisher": {"@id": pub["url"]},
        "temporalCoverage": coverage.temporal,
        "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": f"{min(coverage.years)}-01-01",
                         "dcat:endDate": f"{max(coverage.years)}-12-31"},
        "spatialCoverage": [{"@type": "Place", "name": name,
                             **({"identifier": code} if code else {})} for name, code in coverage.jurisdictions],
        "dct:accrualPeriodicity": {"@id": settings["catalogue"]["update_cycle"]["dcat"]},
        "distribution": distributions,
        "dcat:distribution": [{"@id": d["contentUrl"]} for d in distributions],
    }


def gbt21063_record(folder: Path, settings: dict[str, Any], version: str, created: str,
                    coverage: Coverage) -> dict[str, Any]:
    """The GB/T 21063.3 core metadata of the release (element names in Chinese, as the standard has them)."""
    cat = settings["catalogue"]
    files = [{"名称": p.relative_to(folder).as_posix(), "格式": MEDIA_TYPES[p.suffix][1],
              "媒体类型": MEDIA_TYPES[p.suffix][0], "字节数": p.stat().st_size, "SHA-256": sha256_of(p)}
             for p in data_files(folder)]
    places = "、".join(name for name, _ in coverage.jurisdictions)
    return {
        "标准": "GB/T 21063.3-2007 政务信息资源目录体系 第3部分：核心元数据",
        "信息资源名称": settings["title"]["zh"],
        "信息资源摘要": f"{settings['description']['zh']}覆盖地区：{places}；年份：{coverage.temporal}。",
        "信息资源提供方": settings["publisher"]["name_zh"],
        "信息资源分类": cat["classification"]["zh"],
        "信息资源标识符": f"{settings['name']}-{version}",
        "元数据标识符": f"{settings['name']}-{version}-metadata",
        "信息资源格式": "、".join(sorted({MEDIA_TYPES[p.suffix][1] for p in data_files(folder)})),
        "关键字说明": list(settings.get("keywords", [])),
        "发布日期": created[:10],
        "更新周期": cat["update_cycle"]["zh"],
        "共享类型": cat["share_type"]["zh"],
        "开放类型": cat["open_type"]["zh"],
        "在线资源链接地址": _url(settings, version, ""),
        "元数据维护方": cat["metadata_maintainer"]["zh"],
        "版本": version,
        "时间范围": coverage.temporal,
        "空间范围": places,
        "使用许可": f"{settings['license']['title']}（{settings['license']['path']}）",
        "源文件公开属性": settings["sources_status"]["zh"],
        "数据文件": files,
    }

"""`govtasks names`: show the name registry, its general rules, and the unit names a notice uses that it
does not know, so a maintainer can extend transform/registry/ without touching code. No Prefect here.

    govtasks names [--jurisdiction J] [--type T]     the registry: units, full names, types, aliases
    govtasks names rules                             the standard departments used for unseen jurisdictions
    govtasks names unknown SOURCE ...                unknown unit names with suggestions and ready rows
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from extract.errors import GovtasksError
from extract.limits import MAX_MESSAGES
from extract.messages import more
from extract.model import ParsedNotice
from transform.naming import REGISTRY_DIR, full_name
from transform.registry_load import ANY, UNIT_TYPES, Registry, load_registry
from transform.suggestions import format_unknown

names_app = typer.Typer(
    help="The name registry (transform/registry/): show it, its rules, and the unknown names of notices.",
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str) -> None:
    typer.echo(f"govtasks: {message}", err=True)
    raise typer.Exit(1)


def _registry() -> Registry:
    try:
        return load_registry()
    except GovtasksError as e:
        _fail(str(e))
        raise  # unreachable: _fail exits


@names_app.callback(invoke_without_command=True)
def show(
    ctx: typer.Context,
    jurisdiction: Annotated[str | None, typer.Option(
        "--jurisdiction", "-j", help="Only this jurisdiction (and the collectives, '*').")] = None,
    unit_type: Annotated[str | None, typer.Option(
        "--type", help=f"Only this unit type: {', '.join(UNIT_TYPES)}.")] = None,
) -> None:
    """Show the registry: every unit by jurisdiction, with its type, full name and aliases (with reasons)."""
    if ctx.invoked_subcommand is not None:
        return
    reg = _registry()
    aliases: dict[tuple[str, str], list[str]] = {}
    for (jur, alias), (canonical, reason) in sorted(reg.aliases.items()):
        aliases.setdefault((jur, canonical), []).append(f"{alias} ({reason})")
    shown = 0
    for jur in reg.jurisdictions():
        if jurisdiction and jur not in (jurisdiction, ANY):
            continue
        recs = sorted((r for (j, _), r in reg.units.items()
                       if j == jur and (not unit_type or r.unit_type == unit_type)),
                      key=lambda r: (UNIT_TYPES.index(r.unit_type), r.name))
        if not recs:
            continue
        typer.echo(f"{jur}  ({len(recs)} units)" if jur != ANY else f"* (everywhere)  ({len(recs)} units)")
        for r in recs:
            extra = f"  full name: {r.full_name}" if r.full_name and r.full_name != r.name else ""
            typer.echo(f"  {r.name}  [{r.unit_type}]{extra}")
            for a in aliases.get((jur, r.name), []):
                typer.echo(f"      alias: {a}")
        shown += len(recs)
    typer.echo(f"{shown} units, {len(reg.aliases)} aliases, {len(reg.collectives)} collective phrases "
               f"and {len(reg.departments)} standard departments in {REGISTRY_DIR}")


@names_app.command()
def rules() -> None:
    """Show the general rules: the standard departments used where the registry is silent."""
    reg = _registry()
    for d in reg.departments:
        abbr = ", ".join(f"{a}→{f}" for a, f in d.abbreviations.items())
        line = f"{d.key} [{d.unit_type}]: {' / '.join(d.names)}"
        typer.echo(line + (f"; abbreviations: {abbr}" if abbr else ""))
    typer.echo("Names are written without the jurisdiction's prefix (市 / 县 / 区); "
               "party organs start with 委.")
    if reg.level_lists is not None:
        example = reg.collective("各县、市、区人民政府")
        typer.echo(f"Level lists (collectives.yaml): 各 + {'、'.join(reg.level_lists.levels)} in any spelling, "
                   f"one collective each: 各县、市、区人民政府 → {example[0][0] if example else '?'}")


def _read(source: str, tmp: Path) -> ParsedNotice:
    from extract.read import read_notice
    from extract.snapshot import take_snapshot

    return read_notice(take_snapshot(source, tmp))


@names_app.command()
def unknown(
    sources: Annotated[list[str], typer.Argument(help="Notice files or http(s) URLs.")],
    jurisdiction: Annotated[str | None, typer.Option(
        help="Override the jurisdiction read from the notice.")] = None,
    year: Annotated[int | None, typer.Option(help="Override the year read from the notice.")] = None,
) -> None:
    """List the unit names in SOURCE notices that the registry and the rules do not know.

    Each comes with its task and line, the closest registry candidates, and a units.csv row to start from.
    """
    from transform.suggestions import unknown_names
    from transform.tables import build_tables

    reg = _registry()
    try:
        with tempfile.TemporaryDirectory(prefix="govtasks-names-") as tmp:
            notices = []
            for src in sources:
                n = _read(src, Path(tmp))
                header = replace(n.header, jurisdiction=jurisdiction or n.header.jurisdiction,
                                 year=year or n.header.year)
                notices.append(replace(n, header=header))
            found = unknown_names(build_tables(notices, reg), reg)
    except GovtasksError as e:
        _fail(str(e))
        return
    if not found:
        typer.echo(f"No unknown unit names in {len(notices)} notice(s).")
        return
    for u in found[:MAX_MESSAGES]:
        typer.echo(format_unknown(u))
    if len(found) > MAX_MESSAGES:
        typer.echo(more(len(found) - MAX_MESSAGES) + " (every distinct name has its units.csv row below)")
    typer.echo("\nIf a name is an existing unit, add a row to transform/registry/aliases.csv "
               "(jurisdiction,alias,canonical,reason); if it is a new unit, check and add these rows to "
               "transform/registry/units.csv (jurisdiction,name,full_name,unit_type):")
    seen = set()
    for u in found:
        if (u.jurisdiction, u.unit) in seen:
            continue
        seen.add((u.jurisdiction, u.unit))
        typer.echo(f"{u.jurisdiction},{u.unit},{full_name(u.jurisdiction, u.unit, u.suggested_type)},"
                   f"{u.suggested_type}")
    typer.echo(f"\n{len(found)} unknown name(s), {len(seen)} distinct.")

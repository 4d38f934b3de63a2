"""The catalog data file, parsed and checked into typed records."""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.domain.ladder import Ladder, takes_band
from app.domain.rules import RuleValues, rule_values

DATA_FILE = Path(__file__).with_name("catalog.toml")

PSOAS_LADDER = "psoas"
ROLES = ("ladder", "complementary")
POSITIONS = ("supine", "standing", "half-kneeling", "side-plank", "split-stance")
PLANES = ("sagittal", "frontal", "transverse")
EQUIPMENT = ("resistance-band", "box")
RULE_KINDS = ("range", "enum", "condition")
CONTRACTIONS = ("isometric", "dynamic")
DECIDED_BY = ("article", "project")


class CatalogDataError(ValueError):
    """The data file breaks a rule of its own format; the message names the entry."""


@dataclass(frozen=True)
class MuscleRecord:
    slug: str
    name: str
    group: str
    origin: str
    insertion: str
    actions: list[str]
    notes: list[str]
    source: str
    pronunciation: str | None = None
    source_note: str | None = None


@dataclass(frozen=True)
class ExerciseRecord:
    slug: str
    name: str
    role: str
    position: str
    load: str
    contraction: str
    per_side: bool
    takes_band: bool
    equipment: list[str]
    planes: list[str]
    muscles: list[str]
    goal: str
    cues: list[str]
    # Who each cue comes from, in the order of `cues`: "article" or "project".
    cues_decided_by: list[str]
    source: str
    # What the exercise's diagram shows, for who cannot see it (its `alt` text).
    diagram_alt: str
    level: int | None = None


@dataclass(frozen=True)
class LadderRecord:
    slug: str
    name: str
    description: str
    source: str
    levels: list[str]


@dataclass(frozen=True)
class RuleRecord:
    slug: str
    name: str
    kind: str
    statement: str
    decided_by: str
    source: str
    min: int | None = None
    max: int | None = None
    unit: str | None = None
    values: list[str] | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class CatalogData:
    version: int
    checksum: str
    muscles: list[MuscleRecord]
    exercises: list[ExerciseRecord]
    ladders: list[LadderRecord]
    rules: list[RuleRecord]


def read_data_file(path: Path = DATA_FILE) -> CatalogData:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogDataError(f"{path.name}: not valid TOML: {exc}") from exc
    return parse_catalog(document)


def parse_catalog(document: dict[str, Any]) -> CatalogData:
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise CatalogDataError("catalog: `version` must be a positive whole number")
    tables = {
        "muscles": _records(document, "muscles", MuscleRecord),
        "exercises": _records(document, "exercises", ExerciseRecord),
        "ladders": _records(document, "ladders", LadderRecord),
        "rules": [_rule(entry) for entry in document.get("rules", [])],
    }
    # Over the parsed content, not the file's bytes: rule values live in the domain code.
    content = json.dumps({k: [asdict(r) for r in v] for k, v in tables.items()}, sort_keys=True)
    checksum = hashlib.sha256(f"{version}:{content}".encode()).hexdigest()
    data = CatalogData(version=version, checksum=checksum, **tables)
    check_catalog(data)
    return data


def _records(document: dict[str, Any], table: str, record_type: type[Any]) -> list[Any]:
    entries = document.get(table, [])
    records = []
    for index, entry in enumerate(entries):
        try:
            records.append(record_type(**entry))
        except TypeError as exc:
            slug = entry.get("slug", f"#{index + 1}")
            raise CatalogDataError(f"{table} {slug}: {exc}") from exc
    return records


VALUE_FIELDS = ("min", "max", "unit", "values", "parameters")


def _rule(entry: dict[str, Any]) -> RuleRecord:
    """A rule from the data file, its numbers from the domain (the one place they live)."""
    slug = entry.get("slug", "?")
    given = [name for name in VALUE_FIELDS if name in entry]
    if given:
        raise CatalogDataError(f"rules {slug}: {given} come from app/domain/rules.py, not here")
    values: RuleValues | None = rule_values().get(slug)
    if values is None:
        raise CatalogDataError(f"rules {slug}: app/domain/rules.py has no values for it")
    numbers = {name: getattr(values, name) for name in VALUE_FIELDS}
    try:
        statement = entry["statement"].format(**numbers, **values.parameters)
        return RuleRecord(**{**entry, "statement": statement, **numbers})
    except (KeyError, IndexError, TypeError) as exc:
        raise CatalogDataError(f"rules {slug}: {exc!r}") from exc


def check_catalog(data: CatalogData) -> None:
    """Refuse a data file that would serve an inconsistent catalog."""
    for table in ("muscles", "exercises", "ladders", "rules"):
        slugs = [record.slug for record in getattr(data, table)]
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if duplicates:
            raise CatalogDataError(f"{table}: duplicate slugs {duplicates}")
    muscle_slugs = {muscle.slug for muscle in data.muscles}
    for exercise in data.exercises:
        _check_exercise(exercise, muscle_slugs)
    levels = [e.level for e in data.exercises if e.level is not None]
    if len(levels) != len(set(levels)):
        raise CatalogDataError("exercises: two exercises share a level")
    by_slug = {exercise.slug: exercise for exercise in data.exercises}
    for ladder in data.ladders:
        _check_ladder(ladder, by_slug)
    for rule in data.rules:
        _check_rule(rule)


def _check_exercise(exercise: ExerciseRecord, muscle_slugs: set[str]) -> None:
    where = f"exercises {exercise.slug}"
    if exercise.role not in ROLES:
        raise CatalogDataError(f"{where}: role must be one of {ROLES}")
    if (exercise.role == "ladder") != (exercise.level is not None):
        raise CatalogDataError(f"{where}: ladder exercises, and only they, have a level")
    if exercise.position not in POSITIONS:
        raise CatalogDataError(f"{where}: position must be one of {POSITIONS}")
    for name, values, allowed in (
        ("planes", exercise.planes, PLANES),
        ("equipment", exercise.equipment, EQUIPMENT),
        ("muscles", exercise.muscles, tuple(sorted(muscle_slugs))),
        ("cues_decided_by", exercise.cues_decided_by, DECIDED_BY),
    ):
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise CatalogDataError(f"{where}: unknown {name} {unknown}")
    if len(exercise.cues_decided_by) != len(exercise.cues):
        raise CatalogDataError(f"{where}: cues_decided_by must give one entry per cue")
    if exercise.takes_band != ("resistance-band" in exercise.equipment):
        raise CatalogDataError(f"{where}: takes_band must match the resistance-band equipment")
    if exercise.level is not None and exercise.takes_band != takes_band(exercise.level):
        raise CatalogDataError(f"{where}: takes_band must match the domain's banded levels")


def _check_ladder(ladder: LadderRecord, exercises: dict[str, ExerciseRecord]) -> None:
    for level, slug in enumerate(ladder.levels, start=1):
        exercise = exercises.get(slug)
        if exercise is None or exercise.level != level:
            raise CatalogDataError(
                f"ladders {ladder.slug}: level {level} must be a ladder exercise of that level"
            )


def _check_rule(rule: RuleRecord) -> None:
    where = f"rules {rule.slug}"
    if rule.kind not in RULE_KINDS:
        raise CatalogDataError(f"{where}: kind must be one of {RULE_KINDS}")
    if rule.decided_by not in DECIDED_BY:
        raise CatalogDataError(f"{where}: decided_by must be one of {DECIDED_BY}")
    if rule.kind == "range" and (rule.min is None or rule.max is None or rule.min > rule.max):
        raise CatalogDataError(f"{where}: a range needs min <= max")
    if rule.kind == "enum" and not rule.values:
        raise CatalogDataError(f"{where}: an enum needs values")


def psoas_ladder(data: CatalogData) -> Ladder:
    """The psoas ladder as the engine sees it: exercise slugs by level."""
    record = next(ladder for ladder in data.ladders if ladder.slug == PSOAS_LADDER)
    return Ladder(tuple(record.levels))

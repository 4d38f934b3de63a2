"""The catalog's translations: complete in every language, and applied field by field."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from app.catalog.data import DATA_FILE, read_data_file
from app.catalog.translations import (
    LANGUAGES,
    Translation,
    bundled_translations,
    gaps,
    translate,
)

SOURCE = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("translation", bundled_translations(), ids=lambda t: t.language)
def test_every_language_has_every_text_of_every_entry(translation):
    assert gaps(SOURCE, translation) == []


def test_the_languages_are_english_german_and_spanish():
    assert LANGUAGES == ("en", "de", "es")
    assert [t.language for t in bundled_translations()] == ["de", "es"]


def broken(translation: Translation, kind: str, slug: str, field: str, value=None) -> Translation:
    entries = {k: {s: dict(t) for s, t in v.items()} for k, v in translation.entries.items()}
    if value is None:
        del entries[kind][slug][field]
    else:
        entries[kind][slug][field] = value
    return replace(translation, entries=entries)


def test_gaps_name_what_is_missing_or_wrong():
    german = bundled_translations()[0]
    assert gaps(SOURCE, broken(german, "exercises", "deep-lunge", "goal")) == [
        "de: exercises deep-lunge: goal missing"
    ]
    short = broken(german, "exercises", "deep-lunge", "cues", ["Nur einer"])
    assert "must be a list of" in gaps(SOURCE, short)[0]
    no_numbers = broken(german, "rules", "hold-duration", "statement", "Halte lange.")
    assert "placeholders" in gaps(SOURCE, no_numbers)[0]
    quoted = broken(german, "exercises", "deep-lunge", "source", "Zitat")
    assert gaps(SOURCE, quoted) == ["de: exercises deep-lunge: source not translatable"]


def test_translate_changes_text_only():
    data = read_data_file()
    for translation in bundled_translations():
        translated = translate(data, translation)
        for kind in ("muscles", "exercises", "ladders", "rules"):
            for before, after in zip(getattr(data, kind), getattr(translated, kind), strict=True):
                assert after.slug == before.slug and after.source == before.source
        rules = {r.slug: r for r in translated.rules}
        assert all("{" not in rule.statement for rule in rules.values())
        assert rules["hold-duration"].min == 2 and rules["hold-duration"].max == 5

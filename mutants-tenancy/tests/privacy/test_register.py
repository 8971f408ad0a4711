"""The register of personal data covers every table of a structure, and says true things
about them (the columns it empties exist, the way to the salarié is a real link)."""

from __future__ import annotations

import pytest

from siae_app.models import Base
from siae_app.privacy import registry
from siae_app.privacy.registry import ENTRIES, RULES, Ending, Rule

TABLES = Base.metadata.tables


def _personal_tables() -> set[str]:
    return {
        name
        for name, table in TABLES.items()
        if "structure_id" in table.columns or "employee_id" in table.columns
    }


def test_every_table_of_a_structure_or_of_a_salarie_is_in_the_register():
    missing = _personal_tables() - registry.tables()
    assert not missing, f"Tables absentes du registre : {sorted(missing)}"


def test_the_register_names_no_table_that_does_not_exist():
    assert registry.tables() - set(TABLES) == set()


def test_the_salaries_own_table_is_in_it_although_it_has_no_employee_id():
    kinds = {e.ending for e in ENTRIES if e.table == "employees"}
    assert kinds == {Ending.SCRUB, Ending.ANONYMISE}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.table}-{e.ending}")
def test_an_entry_empties_columns_its_table_has(entry):
    columns = TABLES[entry.table].columns
    for name in entry.columns:
        assert name in columns, f"{entry.table}.{name}"
        assert not columns[name].primary_key and not columns[name].foreign_keys
    if entry.ending in (Ending.SCRUB, Ending.ANONYMISE):
        assert entry.columns, f"{entry.table} : rien à effacer"
    else:
        assert not entry.columns


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.table}-{e.ending}")
def test_an_entry_leads_to_its_salarie_by_a_real_link(entry):
    table = TABLES[entry.table]
    if entry.via == "employee_id":
        assert "employee_id" in table.columns
    elif entry.via == "id":
        assert entry.table == "employees"
    elif entry.via in TABLES:
        assert any(fk.column.table.name == entry.via for fk in table.foreign_keys)
    elif entry.via == "—":
        assert not entry.export and entry.ending == Ending.NONE
    else:  # a JSON column that names salariés' rows (an archive, an import's lines)
        assert entry.via in table.columns and entry.ending == Ending.DELETE


def test_every_text_a_salarie_could_be_named_in_is_emptied_or_deleted():
    """A free-text column of a table about a salarié is erased by some entry of that table."""
    erased = {(e.table, c) for e in ENTRIES for c in e.columns}
    deleted = {e.table for e in ENTRIES if e.ending == Ending.DELETE}
    kept_texts = []
    for entry in ENTRIES:
        if not entry.export or entry.table in deleted:
            continue
        for column in TABLES[entry.table].columns:
            is_text = column.type.__class__.__name__ in ("Text", "JSON", "LargeBinary")
            if is_text and (entry.table, column.name) not in erased:
                kept_texts.append(f"{entry.table}.{column.name}")
    # Codes and labels chosen from lists, not free text (a motif of the PASS, a compiled label
    # of the grid the structure wrote).
    assert sorted(set(kept_texts)) == [
        "assessment_items.label",
        "learning_sessions.competency_label",
    ]


def test_a_rule_has_a_source_and_a_ceiling_above_its_default():
    for rule, retention in RULES.items():
        assert retention.rule == rule and retention.source and retention.ending
        assert retention.default_months <= retention.max_months
    for rule in registry.SETTABLE:
        assert RULES[rule].default_months > 0


def test_the_defaults_are_the_ones_the_texts_give():
    assert RULES[Rule.ACCOMPANIMENT].default_months == 24  # CNIL 2023-095
    assert RULES[Rule.EMPLOYMENT].default_months == 60  # L3243-4, R1221-26
    assert RULES[Rule.ACCESS_LOG].default_months == 12  # CNIL 2021-122
    assert "2023-095" in RULES[Rule.ACCOMPANIMENT].source
    assert "2021/1060" in RULES[Rule.EMPLOYMENT].source

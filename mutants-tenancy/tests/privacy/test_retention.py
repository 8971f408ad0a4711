"""A structure's retention durations: the register's defaults, lengthened by the direction
between the default and the ceiling, with a motif; back to the default removes the setting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from siae_app import tenancy
from siae_app.models import RetentionSetting
from siae_app.privacy.registry import RULES, SETTABLE, Rule
from siae_app.services import ServiceError
from siae_app.services.privacy import retention

ACC = Rule.ACCOMPANIMENT
DEFAULT, CEILING = RULES[ACC].default_months, RULES[ACC].max_months


@pytest.fixture
def scope(session, world):
    with tenancy.tenant_scope(session, world.a.structure.id):
        yield world.a


def _settings(session, site) -> list[RetentionSetting]:
    return session.scalars(
        select(RetentionSetting).where(RetentionSetting.structure_id == site.structure.id)
    ).all()


def _lengthen(session, site, months, motif="Financement FSE+ jusqu'en 2031", rule=ACC):
    return retention.lengthen(
        session, site.structure.id, rule, months, motif, site.member("director")
    )


def test_the_defaults_hold_until_a_duration_is_lengthened(session, scope):
    found = retention.durations(session, scope.structure.id)
    assert list(found) == list(SETTABLE)
    for rule, duration in found.items():
        assert duration.months == RULES[rule].default_months
        assert duration.setting is None and not duration.lengthened


def test_shorter_than_the_default_is_refused(session, scope):
    with pytest.raises(ServiceError) as refused:
        _lengthen(session, scope, DEFAULT - 1)
    assert refused.value.field == "months"
    assert f"plus courte que {DEFAULT} mois" in refused.value.message
    assert _settings(session, scope) == []


def test_the_ceiling_is_accepted_with_its_motif_and_author(session, scope):
    saved = _lengthen(session, scope, CEILING)
    assert saved.months == CEILING and saved.motif == "Financement FSE+ jusqu'en 2031"
    assert saved.set_by_id == scope.member("director").id
    duration = retention.durations(session, scope.structure.id)[ACC]
    assert duration.months == CEILING and duration.lengthened


def test_above_the_ceiling_is_refused(session, scope):
    with pytest.raises(ServiceError) as refused:
        _lengthen(session, scope, CEILING + 1)
    assert refused.value.field == "months"
    assert f"dépasser {CEILING} mois" in refused.value.message
    assert _settings(session, scope) == []


@pytest.mark.parametrize("motif", ["", "   ", None])
def test_a_motif_is_required_above_the_default(session, scope, motif):
    with pytest.raises(ServiceError) as refused:
        _lengthen(session, scope, DEFAULT + 1, motif=motif)
    assert refused.value.field == "motif"
    assert "Dites pourquoi" in refused.value.message


def test_the_default_is_accepted_without_motif_and_removes_the_setting(session, scope):
    _lengthen(session, scope, DEFAULT + 12)
    assert len(_settings(session, scope)) == 1
    assert _lengthen(session, scope, DEFAULT, motif="") is None
    assert _settings(session, scope) == []
    assert retention.durations(session, scope.structure.id)[ACC].months == DEFAULT


def test_a_second_change_updates_the_same_setting(session, scope):
    _lengthen(session, scope, DEFAULT + 6)
    _lengthen(session, scope, DEFAULT + 12, motif="Contrôle annoncé")
    (setting,) = _settings(session, scope)
    assert (setting.months, setting.motif) == (DEFAULT + 12, "Contrôle annoncé")


@pytest.mark.parametrize("rule", [r for r in Rule if r not in SETTABLE])
def test_only_the_settable_rules_are_set(session, scope, rule):
    with pytest.raises(ServiceError) as refused:
        _lengthen(session, scope, 12, rule=rule)
    assert refused.value.field == "rule"
    assert _settings(session, scope) == []


def test_a_structures_setting_does_not_change_the_other_structures(session, world, scope):
    _lengthen(session, scope, CEILING)
    with tenancy.tenant_scope(session, world.b.structure.id):
        other = retention.durations(session, world.b.structure.id)[ACC]
    assert other.months == DEFAULT and other.setting is None

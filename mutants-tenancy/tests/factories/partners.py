"""Partenaires."""

from __future__ import annotations

import factory

from siae_app.models import Partner, PartnerContact
from tests.factories.base import BaseFactory


class PartnerFactory(BaseFactory):
    class Meta:
        model = Partner

    structure_id = None
    name = factory.Sequence(lambda n: f"Mission locale {n}")
    kind = "mission_locale"


class PartnerContactFactory(BaseFactory):
    class Meta:
        model = PartnerContact

    structure_id = None
    partner_id = None
    name = "Dominique Conseil"

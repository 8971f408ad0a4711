"""The signed settings of tenancy (siae_app/tenancy/__init__.py), checked without PostgreSQL:
the app signs a structure id, or a person's id, exactly as the database functions
``app_current_structure()`` and ``app_current_user()`` (tenancy/rls.py) recompute it, with
the key of the app that sends it; nothing is signed without an id or a key."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from siae_app import create_app, tenancy
from tests.site import test_config

KEY = b"k" * 32
SID = "0b7a4f9e-6c1d-4a53-9b7e-2f0c5d8e1a34"


def _database_signature(key: bytes, text: str) -> str:
    """encode(sha256(secret || convert_to(text, 'UTF8') || secret), 'hex'), as rls.py writes."""
    return hashlib.sha256(key + text.encode("utf-8") + key).hexdigest()


@pytest.mark.no_db
def test_a_structure_is_signed_as_the_database_checks_it():
    assert tenancy.token_for(SID, KEY) == _database_signature(KEY, SID)
    assert tenancy.token_for(SID, b"x" * 32) != tenancy.token_for(SID, KEY)


@pytest.mark.no_db
def test_a_person_is_signed_apart_from_any_structure():
    assert tenancy.user_token_for(SID, KEY) == _database_signature(KEY, f"user:{SID}")
    assert tenancy.user_token_for(SID, KEY) != tenancy.token_for(SID, KEY)


@pytest.mark.no_db
def test_nothing_is_signed_without_an_id_or_a_key():
    assert tenancy.token_for("", KEY) == ""
    assert tenancy.user_token_for("", KEY) == ""
    assert tenancy.token_for(SID) == ""  # outside an app: no key


@pytest.mark.no_db
def test_inside_a_new_app_its_own_key_signs_unless_another_is_given(app):
    # A new app, so that its creation (which stores the key) runs inside this test.
    app = create_app(test_config(app.config["SQLALCHEMY_DATABASE_URI"]))
    own = tenancy.signing_key(app.config["SECRET_KEY"])
    with app.app_context():
        assert tenancy.token_for(SID) == _database_signature(own, SID)
        assert tenancy.token_for(SID, KEY) == _database_signature(KEY, SID)
        assert tenancy.user_token_for(SID) == _database_signature(own, f"user:{SID}")


@pytest.mark.no_db
def test_the_settings_sent_name_a_structure_only_when_one_is_active(app):
    own = tenancy.signing_key(app.config["SECRET_KEY"])
    with app.app_context():
        assert tenancy._setting_params(uuid.UUID(SID)) == {
            "sid": SID,
            "token": _database_signature(own, SID),
        }
        for not_a_structure in (None, tenancy.SYSTEM):
            assert tenancy._setting_params(not_a_structure) == {"sid": "", "token": ""}


@pytest.mark.no_db
def test_the_key_derived_from_a_secret_stays_the_one_databases_hold():
    """``flask dbrole setup`` stored this derivation in every database already set up: a
    change of it would make each of them refuse every signature until set up again."""
    assert tenancy.signing_key("secret").hex() == (
        "435e3a81b2f2b11c45accb4d35b02e5c3ab0cb753dea635382a22d0ab709e0b5"
    )

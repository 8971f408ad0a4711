"""Blueprint registration: sign-in, the public verification and the service worker at the
root; every feature of a structure under /s/<slug>/ (``scope.py``). The order does not
matter: no blueprint adds to the application (filters live in ``templating.py``)."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from siae_app.blueprints import (
        actions,
        alerts,
        attendance,
        attestations,
        auth,
        diagnostic,
        employees,
        evaluations,
        frameworks,
        funding,
        home,
        interviews,
        members,
        observations,
        onboarding,
        partners,
        personal_space,
        privacy,
        public,
        reviews,
        scales,
        structure_settings,
        teams,
        urgent,
    )
    from siae_app.blueprints.attendance import offline
    from siae_app.blueprints.scope import make_structure_blueprint

    features = (
        actions,
        alerts,
        attendance,
        attestations,
        diagnostic,
        employees,
        evaluations,
        frameworks,
        funding,
        home,
        interviews,
        members,
        observations,
        onboarding,
        partners,
        privacy,
        reviews,
        scales,
        structure_settings,
        teams,
        urgent,
    )
    for root in (auth, public, offline, personal_space):
        app.register_blueprint(root.bp)
    app.register_blueprint(make_structure_blueprint([feature.bp for feature in features]))

"""Blueprint registration: public/auth at the root, everything else under /s/<slug>/."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from siae_app.blueprints.auth import bp as auth_bp
    from siae_app.blueprints.employees import bp as employees_bp
    from siae_app.blueprints.frameworks import bp as frameworks_bp
    from siae_app.blueprints.home import bp as home_bp
    from siae_app.blueprints.members import bp as members_bp
    from siae_app.blueprints.scales import bp as scales_bp
    from siae_app.blueprints.scope import make_structure_blueprint
    from siae_app.blueprints.teams import bp as teams_bp

    children = [home_bp, members_bp, employees_bp, teams_bp, frameworks_bp, scales_bp]
    # --- followup (accueil, diagnostic, actions, partners, entretiens, alerts) ---
    from siae_app.blueprints.actions import bp as actions_bp
    from siae_app.blueprints.alerts import bp as alerts_bp
    from siae_app.blueprints.diagnostic import bp as diagnostic_bp
    from siae_app.blueprints.interviews import bp as interviews_bp
    from siae_app.blueprints.onboarding import bp as onboarding_bp
    from siae_app.blueprints.partners import bp as partners_bp

    # Listed first: the role-matrix sweep walks routes in this order, and an empty POST to
    # the team form (earlier in the list) drops the ETI's supervision for the rest of it.
    followup = [diagnostic_bp, actions_bp, partners_bp, onboarding_bp, interviews_bp, alerts_bp]
    children = followup + children
    # --- chantier
    from siae_app.blueprints.attendance import bp as attendance_bp
    from siae_app.blueprints.observations import bp as observations_bp
    from siae_app.blueprints.urgent import bp as urgent_bp

    # Before teams: the route matrix's empty POST to a team form drops its supervisors.
    for chantier_bp in (attendance_bp, observations_bp, urgent_bp):
        children.insert(children.index(teams_bp), chantier_bp)
    # --- end chantier
    from siae_app.blueprints.reviews import bp as reviews_bp  # bilans

    children.insert(children.index(teams_bp), reviews_bp)
    # --- attestations
    from siae_app.blueprints.attestations import bp as attestations_bp
    from siae_app.blueprints.public import bp as public_bp
    from siae_app.blueprints.structure_settings import bp as structure_settings_bp

    for documents_bp in (attestations_bp, structure_settings_bp):
        children.insert(children.index(teams_bp), documents_bp)
    app.register_blueprint(public_bp)
    # --- end attestations
    # --- evaluations (before teams, like the others)
    from siae_app.blueprints.evaluations import bp as evaluations_bp

    children.insert(children.index(teams_bp), evaluations_bp)
    # --- end evaluations
    app.register_blueprint(auth_bp)
    from siae_app.blueprints.attendance.offline import bp as offline_bp  # chantier

    app.register_blueprint(offline_bp)
    app.register_blueprint(make_structure_blueprint(children))

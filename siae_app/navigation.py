"""The main navigation, declared as data: one entry per section, shown to the roles whose
permission allows it, labelled like the page it opens (the label is that page's title)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, request, url_for

from siae_app.models import Membership
from siae_app.permissions import scopes
from siae_app.permissions.policy import Perm, allowed


@dataclass(frozen=True)
class Variant:
    """Another label for the members for whom ``applies`` holds (the page says it too)."""

    applies: Callable[[Membership], bool]
    label: str


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    endpoint: str
    permission: Perm
    variants: tuple[Variant, ...] = ()
    # Among the home's « Accès rapides » (the daily ones; the others are in the menu only).
    quick: bool = True

    def label_for(self, membership: Membership) -> str:
        for variant in self.variants:
            if variant.applies(membership):
                return variant.label
        return self.label


# The teams page is titled « Mes équipes » for an ETI (who sees only the teams they supervise)
# and « Équipes et activités » for everyone else: see templates/teams/index.html.
TEAMS_TITLE = "Équipes et activités"
OWN_TEAMS_TITLE = "Mes équipes"

NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("home", "Accueil", "s.home.index", Perm.HOME),
    NavEntry("attendance", "Présences", "s.attendance.today", Perm.ATTENDANCE_TODAY),
    NavEntry("employees", "Salariés", "s.employees.index", Perm.EMPLOYEES_VIEW),
    NavEntry("alerts", "Alertes", "s.alerts.index", Perm.ALERTS_VIEW),
    NavEntry("partners", "Partenaires", "s.partners.index", Perm.PARTNERS_VIEW),
    NavEntry(
        "teams",
        TEAMS_TITLE,
        "s.teams.index",
        Perm.TEAMS_VIEW,
        variants=(Variant(scopes.sees_only_own_teams, OWN_TEAMS_TITLE),),
    ),
    NavEntry("pilotage", "Pilotage", "s.home.pilotage", Perm.PILOTAGE_VIEW),
    NavEntry("frameworks", "Référentiels", "s.frameworks.index", Perm.FRAMEWORKS_VIEW),
    NavEntry("attestations", "Attestations", "s.attestations.index", Perm.ATTESTATIONS_VIEW),
    NavEntry(
        "identity",
        "Identité de la structure",
        "s.structure_settings.identity",
        Perm.STRUCTURE_IDENTITY_MANAGE,
    ),
    NavEntry("grids", "Grilles d'évaluation", "s.evaluations.grids", Perm.GRIDS_MANAGE),
    NavEntry(
        "blocks",
        "Blocs de compétences",
        "s.evaluations.coverage",
        Perm.EVALUATIONS_VIEW,
        quick=False,
    ),
    NavEntry("admin", "Équipe permanente", "s.members.members", Perm.MEMBERS_VIEW),
    NavEntry(
        "access_log", "Journal des accès", "s.employees.access_log_page", Perm.ACCESS_LOG_VIEW
    ),
    NavEntry("privacy", "Registre des traitements", "s.privacy.register", Perm.PRIVACY_VIEW),
)


# The icon beside each entry (Lucide names, copied at set-up: ICON_NAMES in the Makefile).
ICONS = {
    "home": "house",
    "attendance": "calendar-check",
    "employees": "users",
    "alerts": "bell",
    "partners": "handshake",
    "teams": "hard-hat",
    "pilotage": "chart-column",
    "frameworks": "book-open",
    "attestations": "award",
    "identity": "building-2",
    "grids": "clipboard-list",
    "blocks": "graduation-cap",
    "admin": "user-cog",
    "access_log": "scroll-text",
    "privacy": "file-text",
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    current: bool

    @property
    def icon(self) -> str:
        return ICONS[self.key]


def nav_items(include_home: bool = True, quick_only: bool = False) -> list[NavItem]:
    """The entries the current membership may open, with the one the page belongs to;
    ``quick_only``: those of the home's « Accès rapides »."""
    m = g.get("membership")
    if m is None:
        return []
    items = []
    for entry in NAVIGATION:
        if not allowed(m, entry.permission) or (entry.key == "home" and not include_home):
            continue
        if quick_only and not entry.quick:
            continue
        url = url_for(entry.endpoint)
        items.append(NavItem(entry.key, entry.label_for(m), url, _is_current(entry, url)))
    return items


def _is_current(entry: NavEntry, url: str) -> bool:
    if entry.key == "home":
        return request.endpoint == entry.endpoint
    return request.path.startswith(url)


def nav_title(key: str) -> str:
    """The label of one section for the current membership (back links say it too)."""
    m = g.get("membership")
    for entry in NAVIGATION:
        if entry.key == key:
            return entry.label_for(m) if m is not None else entry.label
    raise KeyError(key)

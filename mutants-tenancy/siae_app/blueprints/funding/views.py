"""Conventionnement (annexes financières, reporting settings) and the monthly follow-up of
an annex, with the hours paid entered where they differ from the contract."""

from __future__ import annotations

import json
import uuid
from datetime import date

from flask import abort, flash, g, request
from flask_login import current_user
from sqlalchemy import select

from siae_app import jobs
from siae_app.blueprints.forms_common import (
    FormFlow,
    act,
    form_page,
    put_error,
    see_other,
    submit,
)
from siae_app.blueprints.funding import bp
from siae_app.blueprints.funding.forms import AnnexForm, PaidHoursForm, SettingsForm
from siae_app.blueprints.routes_common import GET_POST, download, month_arg, year_arg
from siae_app.extensions import db
from siae_app.jobs.reports import build_report
from siae_app.models import AnnualReport, BatchStatus, Contract, FundingAnnex
from siae_app.models.attendance import ABSENCE_MOTIFS
from siae_app.permissions.policy import Perm, allowed, can, require
from siae_app.rendering import render
from siae_app.services import ServiceError, accounts
from siae_app.services.exports import csv_text, xlsx_bytes
from siae_app.services.funding import annexes, dashboard, followup, paid_hours
from siae_app.services.funding import group as group_service
from siae_app.services.funding import report as report_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANNEX_FIELDS = (
    "kind",
    "number",
    "start_date",
    "end_date",
    "etp_conventioned",
    "target_dynamic_rate",
    "target_durable_rate",
)
ANNEX = FormFlow(
    AnnexForm,
    annexes.save_annex,
    fields=ANNEX_FIELDS,
    error_field="kind",
    message="Annexe financière {0.label} enregistrée.",
    back=".conventions",
    prefix="annexe",
    bundle=True,
)


def _annex(annex_id: uuid.UUID) -> FundingAnnex:
    return db.first_or_404(select(FundingAnnex).where(FundingAnnex.id == annex_id))


def _conventions_page(annex_form, settings_form):
    return render(
        "funding/conventions.html",
        annexes=annexes.all_annexes(db.session),
        annex_form=annex_form,
        settings_form=settings_form,
    )


@bp.route("/conventionnement", methods=GET_POST)
@require(Perm.FUNDING_MANAGE)
def conventions():
    # The settings' own form posts to ``settings``: here it always shows what is stored.
    settings_form = SettingsForm(prefix="reglages", formdata=None, obj=g.structure)
    return ANNEX.new(lambda form: _conventions_page(form, settings_form), g.structure, None)


@bp.post("/conventionnement/reglages")
@require(Perm.FUNDING_MANAGE)
def settings():
    form = SettingsForm(prefix="reglages")
    return submit(
        form,
        lambda: annexes.save_settings(
            db.session,
            g.structure,
            form.hours_per_etp.data,
            form.exit_min_stay_months.data,
            form.renewal_notice_months.data,
        ),
        done=lambda _: see_other(".conventions", "Réglages enregistrés."),
        page=lambda: _conventions_page(ANNEX.blank(), form),
        error_field="hours_per_etp",
    )


@bp.route("/conventionnement/<uuid:annex_id>", methods=GET_POST)
@require(Perm.FUNDING_MANAGE)
def annex(annex_id: uuid.UUID):
    found = _annex(annex_id)
    form = ANNEX.form_of(found)
    if request.method == "GET":
        for name in ("target_dynamic_rate", "target_durable_rate"):
            value = getattr(found, name)
            getattr(form, name).data = None if value is None else (value * 100).normalize()
    page = form_page("funding/annex_form.html", annex=found)
    return ANNEX.run(form, page, g.structure, found)


@bp.post("/conventionnement/<uuid:annex_id>/supprimer")
@require(Perm.FUNDING_MANAGE)
def delete_annex(annex_id: uuid.UUID):
    found = _annex(annex_id)
    label = found.label
    return act(
        lambda: annexes.delete_annex(db.session, found),
        f"Annexe financière {label} supprimée.",
        ".conventions",
    )


# ------------------------------------------------------------------ monthly follow-up


def _chosen_annex(month: date) -> FundingAnnex | None:
    """The annex asked for (404 if not the structure's), else the first in force this month,
    else the latest."""
    raw = request.args.get("annexe") or request.form.get("annexe")
    if raw:
        try:
            return _annex(uuid.UUID(raw))
        except ValueError:
            abort(404)
    every = annexes.all_annexes(db.session)
    in_force = annexes.in_force(every, month)
    return (in_force or every or [None])[0]


def _named() -> bool:
    """Hours worked and absences by name: for the roles that read named attendance."""
    return allowed(g.membership, Perm.ATTENDANCE_NAMED)


def _followup_page():
    month = month_arg()
    chosen = _chosen_annex(month)
    result = followup.month_followup(db.session, g.structure, chosen, month) if chosen else None
    return render(
        "funding/followup.html",
        month=month,
        annex=chosen,
        annexes=annexes.all_annexes(db.session),
        followup=result,
        named=_named(),
        editable=can(Perm.FUNDING_MANAGE),
        absence_motifs=ABSENCE_MOTIFS,
    )


@bp.get("/suivi-mensuel")
@require(Perm.PILOTAGE_VIEW)
def monthly():
    return _followup_page()


def _table():
    month = month_arg()
    chosen = _chosen_annex(month)
    if chosen is None:
        abort(404)
    result = followup.month_followup(db.session, g.structure, chosen, month)
    name = f"suivi-mensuel-{chosen.kind}-{month:%Y-%m}"
    return followup.header(_named()), followup.rows(result, _named()), name


@bp.get("/suivi-mensuel.csv")
@require(Perm.PILOTAGE_VIEW)
def monthly_csv():
    head, rows, name = _table()
    return download(csv_text(head, rows), "text/csv", name, "csv")


@bp.get("/suivi-mensuel.xlsx")
@require(Perm.PILOTAGE_VIEW)
def monthly_xlsx():
    head, rows, name = _table()
    return download(xlsx_bytes("Suivi mensuel", head, rows), XLSX, name, "xlsx")


def _hours_page(contract: Contract, month: date, form: PaidHoursForm):
    line = next(
        (
            line
            for line in paid_hours.lines(
                db.session,
                month,
                month,
                annexes.default_kind(g.structure),
                select(Contract).where(Contract.id == contract.id),
            )
        ),
        None,
    )
    if line is None:
        abort(404)  # the contract does not run that month
    if not form.is_submitted():
        form.hours.data = format(line.hours, "f").replace(".", ",")
        form.motif.data = line.entered.motif if line.entered else ""
    return render(
        "funding/paid_hours_form.html",
        form=form,
        line=line,
        month=month,
        annexe=request.values.get("annexe") or "",
    )


@bp.route("/suivi-mensuel/<uuid:contract_id>/heures", methods=GET_POST)
@require(Perm.FUNDING_MANAGE)
def paid_hours_entry(contract_id: uuid.UUID):
    """The hours paid on a contract in a month, where they differ from the contract."""
    contract = db.first_or_404(select(Contract).where(Contract.id == contract_id))
    month = month_arg()
    form = PaidHoursForm()
    if request.method == "GET":
        return _hours_page(contract, month, form)
    try:
        if not form.validate_on_submit():
            raise ServiceError(
                " ".join(e for errs in form.errors.values() for e in errs), field="hours"
            )
        hours = paid_hours.parse_hours(form.hours.data)
        paid_hours.enter(
            db.session,
            g.membership,
            contract,
            month,
            hours,
            form.motif.data,
            annexes.default_kind(g.structure),
        )
    except ServiceError as exc:
        put_error(form, exc, "hours")
        return _hours_page(contract, month, form), 422
    return see_other(
        ".monthly",
        f"Heures payées de {contract.employee.display_name} enregistrées.",
        anchor=f"contrat-{contract.id}",
        mois=f"{month:%Y-%m}",
        annexe=request.form.get("annexe") or None,
    )


# ------------------------------------------------------------------ behind a figure


@bp.get("/salaries")
@require(Perm.PILOTAGE_VIEW)
def people():
    """The salariés behind one figure of the dashboard (« indicateur »), for its year."""
    key = request.args.get("indicateur") or "in_parcours"
    if key not in dashboard.PEOPLE_TITLES:
        abort(404)
    today = date.today()
    year = year_arg(today)
    board = dashboard.build(db.session, g.structure, year, today)
    return render(
        "funding/people.html",
        title=dashboard.PEOPLE_TITLES[key]
        .replace("de l'année", f"de {year}")
        .replace("dans l'année", f"en {year}"),
        people=board.people.get(key, []),
        year=year,
    )


# ------------------------------------------------------------------ annual report


def _report(report_id: uuid.UUID) -> AnnualReport:
    return db.first_or_404(select(AnnualReport).where(AnnualReport.id == report_id))


def _report_page(year: int):
    today = date.today()
    live = report_service.figures(db.session, g.structure, year, today)
    copies = report_service.copies(db.session, year)
    frozen = next((c for c in copies if c.status == BatchStatus.DONE), None)
    return render(
        "funding/annual_report.html",
        year=year,
        years=range(today.year, today.year - 6, -1),
        live=live,
        key_figures=report_service.key_figures(live),
        breakdowns=report_service.breakdowns(live),
        copies=copies,
        frozen=frozen,
        changes=report_service.changes(frozen.figures, live) if frozen else [],
        editable=can(Perm.FUNDING_MANAGE),
    )


@bp.get("/rapport-annuel")
@require(Perm.PILOTAGE_VIEW)
def annual_report():
    return _report_page(year_arg(date.today()))


@bp.post("/rapport-annuel")
@require(Perm.FUNDING_MANAGE)
def annual_report_request():
    raw = request.form.get("annee", "")
    today = date.today()
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else None
    if year is None:
        abort(400)
    try:
        report = report_service.request(db.session, g.membership, g.structure, year)
    except ServiceError as exc:
        flash(exc.message, "error")
        return see_other(".annual_report", annee=year)
    jobs.enqueue_after_commit(db.session, build_report, str(g.structure.id), str(report.id))
    return see_other(
        ".annual_report",
        f"Rapport {year} en préparation : il se fige avec les chiffres du jour.",
        annee=year,
    )


@bp.get("/rapport-annuel/<uuid:report_id>/etat")
@require(Perm.PILOTAGE_VIEW)
def annual_report_state(report_id: uuid.UUID):
    """The progress of a copy being built (asked again by the page while it runs)."""
    return render(
        "funding/_report_copy.html", copy=_report(report_id), steps=report_service.REPORT_STEPS
    )


def _frozen(report_id: uuid.UUID) -> AnnualReport:
    report = _report(report_id)
    if report.status != BatchStatus.DONE:
        abort(404)
    return report


@bp.get("/rapport-annuel/<uuid:report_id>/rapport.pdf")
@require(Perm.PILOTAGE_VIEW)
def annual_report_pdf(report_id: uuid.UUID):
    report = _frozen(report_id)
    return download(report.pdf, "application/pdf", f"rapport-annuel-{report.year}", "pdf")


@bp.get("/rapport-annuel/<uuid:report_id>/rapport.xlsx")
@require(Perm.PILOTAGE_VIEW)
def annual_report_xlsx(report_id: uuid.UUID):
    report = _frozen(report_id)
    return download(report.xlsx, XLSX, f"rapport-annuel-{report.year}", "xlsx")


@bp.get("/rapport-annuel/<uuid:report_id>/indicateurs.json")
@require(Perm.PILOTAGE_VIEW)
def annual_report_json(report_id: uuid.UUID):
    report = _frozen(report_id)
    body = json.dumps(report.figures, ensure_ascii=False, indent=2)
    return download(body, "application/json", f"indicateurs-{report.year}", "json")


# ------------------------------------------------------------------ a group of structures


@bp.get("/groupe")
@require(Perm.PILOTAGE_VIEW)
def group():
    """The structures the person pilots, side by side (each under its own tenant)."""
    today = date.today()
    year = year_arg(today)
    mine = group_service.piloted(accounts.active_memberships(db.session, current_user.id))
    cols = group_service.columns(db.session, mine, year) if len(mine) > 1 else []
    return render(
        "funding/group.html",
        year=year,
        years=range(today.year, today.year - 6, -1),
        columns=cols,
        total=group_service.total(cols) if cols else {},
        rows=group_service.ROWS,
        value=group_service.value,
    )

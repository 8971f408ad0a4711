"""Salariés en insertion: one module per part of the file.

identity (fiche, aménagements, éligibilité), contracts (CDDI, avenants, cumul), pass_iae
(PASS, suspensions, prolongations, statut), exits (sortie), access_log (journal des accès),
timeline (parcours), listing (list filters), imports (CSV/XLSX). Their changes are written in
the file's history by ``services.history``.
"""

from siae_app.services.employees.dates import add_months, months_between

__all__ = ["add_months", "months_between"]

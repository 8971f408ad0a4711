"""Reading the text of a REAC (Référentiel Emploi Activités Compétences).

A REAC describes a French "titre professionnel":

* activités types (blocks, each one certified by a CCP; an *activité type d'extension*
  is certified by a CCS),
* compétences professionnelles, numbered globally across blocks (CP 1..n),
* critères de performance for each competency,
* compétences transversales de l'emploi (not attached to a block, not numbered),
* per competency, knowledge lists (savoir-faire techniques / organisationnels /
  relationnels, savoirs).

The reader works on plain text (a ``.txt`` export or the output of
:func:`siae_app.services.frameworks.pdf_text.extract_pdf_text`). It relies on the ministry
headings ("FICHE ACTIVITÉ TYPE N° x", "FICHE COMPÉTENCE PROFESSIONNELLE N° x",
"Critères de performance"...), matched case- and accent-insensitively, and never on
absolute line positions. :func:`.reader.parse_reac_text` runs the stages in order:

1. ``text`` — normalising characters (apostrophes, spaces, ligatures) and folding for matching;
2. ``lines`` — one classified line per physical line: page furniture dropped, headings marked;
3. ``fiches`` — the fiches (sections between main headings) and their sub-headings;
   ``segments`` — list items and paragraphs rejoined from wrapped lines;
4. ``metadata`` — sigle, code, millésime, dates, niveau and title of the titre;
5. ``competencies`` — the fiches compétence professionnelle and the compétences
   transversales, with their criteria; ``knowledge`` — their savoir-faire and savoirs;
6. ``blocks`` — the activités types; ``placement`` — which competency belongs to which,
   cross-checking the fiches, the synoptic table and the fiche emploi type's list.

Everything after the "RÉFÉRENTIEL D'ÉVALUATION" heading is ignored (it repeats the criteria).
Transversal competencies have ``number=None`` (a REAC does not number them); their order is
the document order. Pure Python: no Flask, no database.
"""

from __future__ import annotations


class ReacParseError(ValueError):
    """The text is not a usable REAC; ``message`` is a French, user-facing explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

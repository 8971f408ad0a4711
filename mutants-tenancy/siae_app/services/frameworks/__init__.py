"""Competence frameworks (REAC, behavioural grids, a structure's own).

Reading documents (pure Python, no Flask, no database), every reader giving the same tree:

- ``tree``: the parsed tree (``ParsedFramework`` → ``ParsedBlock`` → ``ParsedCompetency`` →
  ``ParsedCriterion``); ``limits``: the counts and lengths every tree respects.
- ``reac/``: the text of a REAC, read by stage (``text``, ``lines``, ``fiches``,
  ``segments``, ``metadata``, ``competencies``, ``knowledge``, ``blocks``, ``placement``);
  ``reac.reader.parse_reac_text`` runs them. ``pdf_text`` (+ ``pdf_worker``, the bounded
  child process) gives the text of a PDF.
- ``exchange/``: our JSON and CSV formats (``json_writer``, ``json_reader``,
  ``csv_writer``, ``csv_reader`` → ``csv_row_reader`` → ``csv_tree``; ``values`` shared).
- ``upload``: a file's bytes (decoded when text) to a parsed tree, with French errors.

Stored frameworks (the database):

- ``queries``: reads — a framework with its tree, versions, the current version of each.
- ``storage``: saving a tree, the tree of a stored framework, a copy, identical versions.
- ``imports``: preview drafts and their confirmation.
- ``editing``: editing a structure's own framework.
- ``search``: accent-insensitive search.
"""

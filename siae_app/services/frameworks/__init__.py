"""Competence frameworks (REAC, behavioural grids, a structure's own).

- ``reac``, ``pdf_text`` (+ ``pdf_worker``, the bounded child process), ``exchange``,
  ``limits``: reading documents and their size limits (pure Python, no Flask, no database).
- ``upload``: a file's bytes to a parsed tree, with French errors.
- ``imports``: preview drafts and their confirmation.
- ``storage``: saving a tree, versions, the exchange tree of a stored framework.
- ``editing``: editing a structure's own framework.
- ``search``: accent-insensitive search.
"""

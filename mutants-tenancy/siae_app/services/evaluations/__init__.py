"""Evaluations: grids, assessments (positionnements), progress, goals and séances (AFEST).

One module per concern; each function flushes and never commits, and refuses with a French
``ServiceError``.
"""

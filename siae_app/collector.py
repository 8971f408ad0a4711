"""The garbage collector as a worker runs it (wsgi.py), and as the benchmarks measure it.

What a worker keeps for its whole life (the app, its routes, templates and models) is left out
of the cyclic collector's scans, and young objects are collected less often: a page makes tens
of thousands of short-lived objects (rows, template output), and with the defaults the
collector ran many times a request (about 15 % of a heavy page's time; a full collection over
the objects of a recomputed dashboard cost more than the dashboard itself).
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 20, 20)


def tune() -> None:
    """Call once the app is built."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)

"""WSGI entry point: gunicorn "wsgi:app"; also FLASK_APP=wsgi for the flask command."""

import gc

from siae_app import create_app

app = create_app()

# What a worker keeps for its whole life (the app, its routes, templates and models) is left
# out of the cyclic garbage collector's scans, and young objects are collected less often: a
# page makes tens of thousands of short-lived objects (rows, template output), and with the
# defaults the collector ran many times a request (about 15 % of a heavy page's time).
gc.collect()
gc.freeze()
gc.set_threshold(20_000, 20, 20)

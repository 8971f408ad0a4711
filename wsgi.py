"""WSGI entry point: gunicorn "wsgi:app"; also FLASK_APP=wsgi for the flask command."""

from siae_app import collector, create_app

app = create_app()
collector.tune()  # what the app keeps for the worker's life is left out of the collector's scans

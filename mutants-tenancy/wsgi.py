"""WSGI entry point: gunicorn "wsgi:app"; also FLASK_APP=wsgi for the flask command."""

from siae_app import create_app

app = create_app()

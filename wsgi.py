"""Entry point for servers and the flask CLI: ``gunicorn wsgi:app``, ``flask --app wsgi``."""

from registry import create_app

app = create_app()

"""Home, intervention and study pages."""

from flask import render_template

from registry.views import bp


@bp.get("/")
def home():
    return render_template("home.html")

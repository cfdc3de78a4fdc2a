"""Routes of the votes feature (see its issue)."""
from flask import Blueprint

bp = Blueprint("votes", __name__)

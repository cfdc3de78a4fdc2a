"""Routes of the comments feature (see its issue)."""
from flask import Blueprint

bp = Blueprint("comments", __name__)

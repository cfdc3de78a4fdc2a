"""Fingerprinted static URLs, long caching for them, and response compression.

`url_for("static", filename=...)` gets `?v=<first 12 hex of the file's SHA-256>`: a changed
file has a new URL, so browsers and proxies may keep a fingerprinted URL for a year
(`immutable`). Responses are compressed (zstd, brotli, gzip) by Flask-Compress when the client
accepts it; nginx may do it instead (deploy/nginx.conf).
"""
from __future__ import annotations

import hashlib
import os

from flask import Flask, request
from flask_compress import Compress

LONG_CACHE = "public, max-age=31536000, immutable"
compress = Compress()


class Fingerprints:
    """Content hashes of static files, computed once per file version (path and mtime)."""

    def __init__(self, folder: str):
        self.folder = folder
        self._cache: dict[str, tuple[float, str]] = {}
        self._paths: dict[str, str | None] = {}  # realpath() is ~80 us; resolve each name once

    def _path(self, filename: str) -> str | None:
        try:
            return self._paths[filename]
        except KeyError:
            pass
        path = os.path.realpath(os.path.join(self.folder, filename))
        if not path.startswith(os.path.realpath(self.folder) + os.sep):
            path = None
        if len(self._paths) < 1024:
            self._paths[filename] = path
        return path

    def version(self, filename: str) -> str | None:
        path = self._path(filename)
        if path is None:
            return None
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        cached = self._cache.get(filename)
        if cached and cached[0] == mtime:
            return cached[1]
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
        version = digest.hexdigest()[:12]
        self._cache[filename] = (mtime, version)
        return version


def init_app(app: Flask) -> None:
    fingerprints = Fingerprints(app.static_folder or "")

    @app.url_defaults
    def _fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprints.version(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _static_cache(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args["v"] == fingerprints.version(filename):
                response.headers["Cache-Control"] = LONG_CACHE
                response.headers.pop("Expires", None)
        return response

    compress.init_app(app)

"""Findability for search engines and link previews: /sitemap.xml and /robots.txt (the
per-page description and Open Graph tags live in base.html)."""

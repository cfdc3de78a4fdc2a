"""Findability for search engines and link previews: /sitemap.xml (an index of sitemap
documents, see sitemap.py) and /robots.txt (the per-page description and Open Graph tags live
in base.html)."""

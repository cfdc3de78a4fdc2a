# syntax=docker/dockerfile:1
# Cocrea's images, built from the hash-checked lock: `app` (gunicorn; also the mail worker
# and the one-shot migration) and `nginx` (the static files and the proxy in front of the
# app containers). compose.yaml builds both; see README, "Deploying".

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# Pango, HarfBuzz and a font for WeasyPrint (the plan PDF); nothing else from the system.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /srv/cocrea --shell /usr/sbin/nologin cocrea
WORKDIR /srv/cocrea
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY .flaskenv babel.cfg config.py gunicorn.conf.py wsgi.py ./
COPY migrations ./migrations
COPY app ./app
RUN pybabel compile -d app/translations \
 && mkdir -p instance/pdf-cache \
 && chown -R cocrea:cocrea instance
USER cocrea
ENV COCREA_ENV=production \
    FLASK_APP=wsgi \
    BIND=0.0.0.0:8000 \
    PDF_CACHE_DIR=/srv/cocrea/instance/pdf-cache
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]

FROM nginx:1.27-alpine AS nginx
COPY --from=app /srv/cocrea/app/static /srv/cocrea/static
COPY deploy/nginx.compose.conf /etc/nginx/conf.d/default.conf

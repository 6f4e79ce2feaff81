# Production image: gunicorn serves the portal, whitenoise its static files; the same image runs Celery.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libmagic: upload type checks. Pango, HarfBuzz subsetting and fonts: WeasyPrint PDFs with Vietnamese text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core libmagic1 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (from pyproject.toml, without the dev extra) so code changes do not reinstall them.
# The code itself runs from /app and is not installed as a package.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .

# var/ holds collected static files, uploaded media and the beat schedule: the only places the app writes.
RUN useradd --create-home --uid 1000 portal \
 && mkdir -p var/staticfiles var/media var/beat \
 && chown -R portal:portal var
USER portal

ENV MEDIA_ROOT=/app/var/media
EXPOSE 8000
CMD ["gunicorn", "dukportal.wsgi", "--bind", "0.0.0.0:8000", "-w", "3", "-k", "gthread", "--threads", "4", "--access-logfile", "-"]

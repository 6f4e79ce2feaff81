# Production image: gunicorn serves the portal, whitenoise its static files; the same image runs Celery.
# The Python of .python-version (tests/test_python_version.py): the one the lock files and the tests run on.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# libmagic: upload type checks. postgresql-client (15, as the compose server): manage.py backup/restore. Pango, HarfBuzz subsetting and fonts: WeasyPrint PDFs with Vietnamese text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core libmagic1 \
      postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code changes do not reinstall them: exactly the versions and files of the runtime lock
# (bash scripts/lock.sh compiles it from pyproject.toml), every file checked against its hash, nothing resolved
# at build time. The code itself runs from /app and is not installed as a package.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --require-hashes --no-deps -r requirements/lock.txt

COPY . .

# Static files are collected into the image: with DEBUG off the manifest storage needs staticfiles.json, and
# every replica then serves the same hashed files (whitenoise). DEBUG=true only lets settings load without secrets.
RUN DEBUG=true STATIC_MANIFEST=true python manage.py collectstatic --noinput \
 && test -f var/staticfiles/staticfiles.json

# var/media (uploads) and var/beat (the beat schedule) are the only places the app writes; var/staticfiles is
# read-only at run time.
RUN useradd --create-home --uid 1000 portal \
 && mkdir -p var/staticfiles var/media var/beat \
 && chown -R portal:portal var/media var/beat
USER portal

ENV MEDIA_ROOT=/app/var/media
EXPOSE 8000
# Workers, threads, timeouts and the log format: gunicorn.conf.py (GUNICORN_* variables). Migrations are not run
# here: the compose `migrate` one-shot service applies them once before any web replica starts.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "dukportal.wsgi"]

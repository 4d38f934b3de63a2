# Psoas API: the same start script as `make run` (migrate, load the catalog, gunicorn).
# Needs SECRET_KEY and DATABASE_URL at run time (APP_ENV=production refuses to
# start without a secret).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /srv/psoas-api

COPY requirements/main.lock requirements/main.lock
RUN pip install --no-cache-dir -r requirements/main.lock

COPY alembic.ini gunicorn.conf.py wsgi.py CHANGELOG.md ./
COPY bin bin
COPY migrations migrations
COPY app app
COPY docs docs

RUN useradd --system --uid 10001 --no-create-home --home-dir /srv/psoas-api psoas \
    && mkdir instance \
    && chown psoas instance

USER 10001
EXPOSE 8000
CMD ["bin/start"]

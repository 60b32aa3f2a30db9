# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Exactly the locked versions, each checked against its hash.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# The application only: no virtualenv, database file or tests from the build context.
COPY manage.py ./
COPY kam/ kam/
COPY accounts/ accounts/
COPY stakeholders/ stakeholders/
COPY planning/ planning/
COPY templates/ templates/
COPY static/ static/
COPY locale/ locale/

# Static files are collected at build time; the key only satisfies the settings check.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --noinput

RUN useradd --system --no-create-home --uid 10001 kam
USER kam

EXPOSE 8000
CMD ["gunicorn", "kam.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

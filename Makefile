# Two commands matter: `make run` (the app on SQLite with the demo loaded) and `make test`.
# Everything runs inside .venv, which is (re)installed only when a requirements file changes.

VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
ADDRESS ?= 127.0.0.1:8000
ARGS ?=

.PHONY: venv lock run test lint messages worker beat

venv: $(VENV)/.installed

# Installs exactly what the lock files name, every transitive package checked against its hash.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# After changing requirements.txt or requirements-dev.txt: pin every transitive package with hashes.
lock:
	test -x $(VENV)/bin/pip-compile || $(MAKE) venv
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
		--output-file requirements.lock requirements.txt
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
		--output-file requirements-dev.lock requirements-dev.txt

# DEBUG defaults to true here (serves static files, no SECRET_KEY needed); the environment wins.
run: export DEBUG ?= true
run: venv
	$(MANAGE) migrate --noinput
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(MANAGE) compilemessages --ignore='.venv/*'; \
	else \
		echo "msgfmt not found: using the committed .mo files"; \
	fi
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(ADDRESS)

test: venv
	$(VENV)/bin/pytest $(ARGS)

# Style and the floors of docs/architecture.md (import contracts in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

messages: venv
	$(MANAGE) makemessages -l de --ignore='.venv/*' --ignore='staticfiles/*'
	$(MANAGE) compilemessages --ignore='.venv/*'

worker: venv
	$(VENV)/bin/celery -A kam worker -l info

beat: venv
	$(VENV)/bin/celery -A kam beat -l info

# Two commands matter: `make run` (the app on SQLite with the demo loaded) and `make test`.
# Everything runs inside .venv, which is (re)installed only when a requirements file changes.

VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
ADDRESS ?= 127.0.0.1:8000
ARGS ?=

.PHONY: venv run test lint messages worker beat

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

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

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

messages: venv
	$(MANAGE) makemessages -l de --ignore='.venv/*' --ignore='staticfiles/*'
	$(MANAGE) compilemessages --ignore='.venv/*'

worker: venv
	$(VENV)/bin/celery -A kam worker -l info

beat: venv
	$(VENV)/bin/celery -A kam beat -l info

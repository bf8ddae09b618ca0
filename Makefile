# The two commands a newcomer needs (see README):
#   make serve   set up everything and serve the registry with demo data on SQLite
#   make test    set up everything and run the whole test suite (SQLite, then PostgreSQL)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: serve test setup setup-dev translations messages lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(MAKE) --no-print-directory translations

setup-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(MAKE) --no-print-directory translations

translations:
	$(BIN)/pybabel compile --statistics -d registry/translations

# After changing user-visible text: refresh the catalogue, translate the new entries in
# registry/translations/en/LC_MESSAGES/messages.po, then `make translations`.
messages:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-wrap --sort-by-file \
		--project="Interventies naar Werk" -o registry/translations/messages.pot .
	$(BIN)/pybabel update -i registry/translations/messages.pot -d registry/translations \
		--no-fuzzy-matching --no-wrap

serve: setup
	$(FLASK) db upgrade
	$(FLASK) index rebuild
	$(FLASK) demo load
	$(FLASK) run --host 127.0.0.1 --port 5000

lint:
	$(BIN)/ruff check .

test: setup-dev
	bash .ci/test-suite

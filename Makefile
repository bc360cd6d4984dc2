# The two commands of the README:
#   make site   set up .venv and build the site into _site/
#   make test   set up .venv (and the system tools the tests need) and run every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test lint serve fuzz clean

site: $(VENV)/.runtime
	$(PY) build.py

test: $(VENV)/.test
	bash scripts/system-deps.sh
	$(MAKE) --no-print-directory node_modules/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

serve: $(VENV)/.runtime
	$(PY) build.py serve

fuzz: $(VENV)/.test
	$(PY) scripts/fuzz.py

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.runtime

# axe-core and Lighthouse for the browser checks, exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf _site $(VENV)

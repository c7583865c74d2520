# Korea policy briefing. `make report` and `make test` are all a new user needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

# Build parameters: make report CORPUS=path OUT=path START=YYYY-MM-DD END=YYYY-MM-DD
CORPUS ?= data
OUT ?= reports
START ?=
END ?=
THEMES ?= config/themes.yaml
ACTORS ?= config/actors.yaml
TITLE ?=
STAMP ?=
PAPER ?= A4

# Single-quote a value for the shell, so titles and paths with spaces or quotes pass through intact.
quote = '$(subst ','\'',$(1))'
BUILD_ARGS = --corpus $(call quote,$(CORPUS)) --out $(call quote,$(OUT)) --start $(call quote,$(START)) --end $(call quote,$(END)) --themes $(call quote,$(THEMES)) --actors $(call quote,$(ACTORS))

.PHONY: report tables test bench lab setup system-deps lock clean distclean

report: setup  ## build OUT/briefing.html, OUT/briefing.pdf and OUT/tables/
	$(PY) -m policybrief report $(BUILD_ARGS) --title $(call quote,$(TITLE)) --stamp $(call quote,$(STAMP)) --paper $(call quote,$(PAPER))

tables: $(VENV)/.installed  ## write only OUT/tables/*.csv (no notebooks, no PDF)
	$(PY) -m policybrief tables $(BUILD_ARGS)

test: setup  ## unit tests and one end-to-end build of the seed corpus
	$(PY) -m pytest -q tests

bench: $(VENV)/.installed  ## time make tables on synthetic corpora of 1,000 and 10,000 documents; writes OUT/bench.json
	$(PY) -m policybrief.bench --out $(call quote,$(OUT)) $(if $(SIZES),--sizes $(SIZES))

lab: $(VENV)/.installed  ## open JupyterLab on notebooks/
	cd notebooks && ../$(VENV)/bin/jupyter lab

setup: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/install-system-deps.sh

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "policybrief-project.pth").write_text("$(CURDIR)\n")'
	@touch $@

lock:  ## re-pin requirements.txt (with hashes) from requirements.in
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile requirements.in --python-version 3.11 --generate-hashes --no-header -o requirements.txt

clean:  ## remove generated briefings, tables, executed notebooks and caches
	rm -rf bench $(call quote,$(OUT))/bench.json $(call quote,$(OUT))/manifest.json $(call quote,$(OUT))/briefing.html $(call quote,$(OUT))/briefing.pdf $(call quote,$(OUT))/tables $(call quote,$(OUT))/notebooks $(call quote,$(OUT))/.build-* .cache .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)

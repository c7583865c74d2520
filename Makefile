# Korea policy briefing. `make report` and `make test` are all a new user needs (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

# Build options: each variable is a field of policybrief/options.py (tests/test_options.py checks that the two
# lists agree); `.venv/bin/policybrief build --help` explains them. Unset variables keep the defaults there.
#   make report CORPUS=path OUT=path START=YYYY-MM-DD END=YYYY-MM-DD SPLIT_DATE=YYYY-MM-DD TITLE="..."
OPTION_VARS := CORPUS OUT START END THEMES ACTORS TITLE SUBTITLE STAMP PAPER MIN_HITS THEME_TIME_BIN METONYMS \
	ACTOR_TIME_BIN SPLIT_DATE GROUP_COLUMN TERMS_PER_DOCUMENT NEAR_DUPLICATE_THRESHOLD MAX_PAIRS_DOCS K_NEIGHBOURS \
	PAIR CSV_MAX_ROWS SCHEDULER TIMELINE_MAX_POINTS SHOW_THEMES QUOTES_PER_THEME EVIDENCE_PER_NUMBER \
	SHOW_ACTORS TOP_N MEASURES
# TOPIC=folder builds a topic folder of one's own (`policybrief init`): its data/, config/, briefing.yaml and
# reports/ (the variables above still override its settings; OUT only when given)
ifeq ($(TOPIC),)
OUT ?= reports
endif

# Single-quote a value for the shell, so titles and paths with spaces or quotes pass through intact.
quote = '$(subst ','\'',$(1))'
lowercase = $(subst A,a,$(subst B,b,$(subst C,c,$(subst D,d,$(subst E,e,$(subst F,f,$(subst G,g,$(subst H,h,$(subst I,i,\
	$(subst J,j,$(subst K,k,$(subst L,l,$(subst M,m,$(subst N,n,$(subst O,o,$(subst P,p,$(subst Q,q,$(subst R,r,\
	$(subst S,s,$(subst T,t,$(subst U,u,$(subst V,v,$(subst W,w,$(subst X,x,$(subst Y,y,$(subst Z,z,$(1)))))))))))))))))))))))))))
# SPLIT_DATE=2025-01-20 -> --split-date='2025-01-20', for every variable that is set
BUILD_ARGS = $(strip $(foreach v,$(OPTION_VARS),$(if $($(v)),--$(subst _,-,$(strip $(call lowercase,$(v))))=$(call quote,$($(v))))))
POLICYBRIEF := $(VENV)/bin/policybrief

.PHONY: report tables test validate bench lab setup system-deps lock lint clean distclean

report: setup  ## build OUT/briefing.html, OUT/briefing.pdf and OUT/tables/
	$(POLICYBRIEF) build $(if $(TOPIC),$(call quote,$(TOPIC))) $(BUILD_ARGS)

tables: $(VENV)/.installed  ## write only OUT/tables/ (Parquet, and CSV; no notebooks, no PDF)
	$(POLICYBRIEF) tables $(if $(TOPIC),$(call quote,$(TOPIC))) $(BUILD_ARGS)

test: setup  ## unit tests and one end-to-end build of the seed corpus
	$(PY) -m pytest -q tests

validate: $(VENV)/.installed  ## score the counts against the hand-labelled gold in validation/ (OUT/validation.json, README table)
	$(POLICYBRIEF) validate --out $(call quote,$(or $(OUT),reports))

bench: $(VENV)/.installed  ## time make tables on synthetic corpora of 1,000 and 10,000 documents (SIZES=…); CLUSTER=1: 10,000 on a local Dask cluster too
	$(POLICYBRIEF) bench --out $(call quote,$(or $(OUT),reports)) $(if $(SIZES),--sizes $(SIZES),$(if $(CLUSTER),--sizes 10000)) $(if $(CLUSTER),--cluster)

lab: $(VENV)/.installed  ## open JupyterLab on notebooks/
	cd notebooks && ../$(VENV)/bin/jupyter lab

setup: system-deps $(VENV)/.installed

system-deps:
	@bash scripts/install-system-deps.sh

$(VENV)/.installed: requirements-pip.txt requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

lock:  ## re-pin requirements.txt (universal, with hashes) from pyproject.toml
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --group build --universal --python-version 3.11 \
		--generate-hashes --no-header --quiet -o requirements.txt
	sed -i '1i # make lock regenerates this file from pyproject.toml (all extras + build group; universal: Python 3.11-3.13, any OS).' requirements.txt

lint: $(VENV)/.installed  ## ruff format check, ruff lint, mypy (config in pyproject.toml)
	$(VENV)/bin/ruff format --check policybrief tests scripts
	$(VENV)/bin/ruff check policybrief tests scripts notebooks
	$(VENV)/bin/mypy

clean:  ## remove generated briefings, tables, executed notebooks and caches
	rm -rf bench $(call quote,$(or $(OUT),reports))/bench.json $(call quote,$(or $(OUT),reports))/manifest.json $(call quote,$(or $(OUT),reports))/briefing.html $(call quote,$(or $(OUT),reports))/briefing.pdf $(call quote,$(or $(OUT),reports))/tables $(call quote,$(or $(OUT),reports))/notebooks $(call quote,$(or $(OUT),reports))/.build-* .cache .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)

# Every target creates .venv and installs what it needs (pinned by constraints.txt) when missing,
# so a fresh clone needs only python3 (3.10+) and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --disable-pip-version-check -q -c constraints.txt
SERVICE := support
OUT    ?= generated/

DOCS_DIR ?= docs-build
DOCS_MODULES := aws_support aws_runtime aws_runtime.config aws_runtime.errors aws_runtime.pagination aws_runtime.interceptors aws_runtime.wirelog aws_runtime.testing

.PHONY: generate generate-all check-generated update-model test lint typecheck docs demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The package version is read from generated/aws_support (pyproject: dynamic version), so a
# regeneration that bumps it reinstalls once to refresh the installed metadata.
$(VENV)/.gen-installed: pyproject.toml constraints.txt $(wildcard generated/aws_support/_manifest.json) | $(PY)
	$(PIP) -e '.[gen]'
	@touch $@

$(VENV)/.dev-installed: pyproject.toml constraints.txt $(VENV)/.gen-installed
	$(PIP) -e '.[gen,dev,bench]'
	@touch $@

$(VENV)/.bench-installed: pyproject.toml constraints.txt $(VENV)/.gen-installed
	$(PIP) -e '.[gen,bench]'
	@touch $@

# mypy_boto3_builder lives in its own throwaway venv so it never changes this project's
# pinned packages; shared dependencies (botocore, black, ...) follow constraints.txt.
BUILDER_VENV := .cache/bench/builder-venv
$(BUILDER_VENV)/.installed: bench/builder-requirements.txt constraints.txt
	rm -rf $(BUILDER_VENV)
	$(PYTHON) -m venv $(BUILDER_VENV)
	$(BUILDER_VENV)/bin/python -m pip install --disable-pip-version-check -q \
		-r bench/builder-requirements.txt -c constraints.txt
	@touch $@

## generate: regenerate generated/aws_support from the pinned botocore model
generate: $(VENV)/.gen-installed
	$(PY) -m generator --service $(SERVICE) --out generated/

## generate-all: every JSON-protocol botocore service into out/ (not committed), in parallel
generate-all: $(VENV)/.gen-installed
	$(PY) -m generator --service all-json --out out/

## check-generated: fail with a unified diff and "run make generate" when generated/ is stale
check-generated: $(VENV)/.gen-installed
	$(PY) -m generator --service $(SERVICE) --out $(OUT) --check

## update-model: pin the newest botocore/boto3 the index serves, reinstall, regenerate, print the report
update-model: $(VENV)/.dev-installed
	$(PY) -m generator.update_model --constraints constraints.txt
	@touch $(VENV)/.gen-installed $(VENV)/.dev-installed
	$(PY) -m generator --service $(SERVICE) --out generated/

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check aws_runtime generator generated/aws_support extensions tests examples bench

## typecheck: mypy --strict over the runtime, the generated package and tests/typing (what an editor sees)
typecheck: $(VENV)/.dev-installed
	$(PY) -m mypy --strict aws_runtime generated/aws_support tests/typing

## test: everything CI runs
test: $(VENV)/.dev-installed
	$(MAKE) --no-print-directory check-generated
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory typecheck
	$(PY) -m pytest

## docs: browsable API docs (pdoc) of the generated package and the runtime in $(DOCS_DIR)/ (not committed)
docs: $(VENV)/.dev-installed
	rm -rf $(DOCS_DIR)
	$(PY) -m pdoc --docformat google -o $(DOCS_DIR) $(DOCS_MODULES)
	@echo "API docs: $(DOCS_DIR)/index.html"

## demo: run the client against a local moto server and print what it did
demo: $(VENV)/.dev-installed
	$(PY) examples/demo.py

# aiobotocore pins its own, older botocore (no release accepts this project's pin), so it
# gets its own throwaway venv too, without constraints.txt; bench/aio.py runs it there.
AIOBOTOCORE_VENV := .cache/bench/aiobotocore-venv
$(AIOBOTOCORE_VENV)/.installed: bench/aiobotocore-requirements.txt
	rm -rf $(AIOBOTOCORE_VENV)
	$(PYTHON) -m venv $(AIOBOTOCORE_VENV)
	$(AIOBOTOCORE_VENV)/bin/python -m pip install --disable-pip-version-check -q \
		-r bench/aiobotocore-requirements.txt
	@touch $@

## bench: per-call, cold-start and generation benchmarks vs boto3, urllib3 and
## mypy_boto3_builder; prints a markdown report and writes bench/RESULTS.md (not part of test)
.PHONY: bench
bench: $(VENV)/.bench-installed $(BUILDER_VENV)/.installed $(AIOBOTOCORE_VENV)/.installed
	$(PY) -m bench --builder $(BUILDER_VENV)/bin/mypy_boto3_builder \
		--aiobotocore-python $(AIOBOTOCORE_VENV)/bin/python --out bench/RESULTS.md

clean:
	rm -rf $(VENV) .cache .mypy_cache .pytest_cache .ruff_cache .hypothesis *.egg-info $(DOCS_DIR)

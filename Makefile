# make run: extract the sample letters; make test: run the tests. Both set up first.
VENV ?= .venv
SAMPLES ?= data/samples
OUT ?= out/samples
RECEIVED ?= '$(SAMPLES)/*.txt' $(SAMPLES)/received

export VENV

.PHONY: setup run test lint test-postgres schema bench bench-ocr bench-store scans goldens

setup:
	@bash scripts/setup.sh

# the main job: bulk ingestion (a Prefect flow on a temporary local server) of the sample letters as an
# office receives them: text, scanned PDFs, page images (RECEIVED: scripts/check_run_output.py lists them);
# Prefect's settings (PREFECT_HOME=var/prefect, start-up limit, no telemetry) come from flows/prefect_env.py
run: setup
	$(VENV)/bin/congvan bulk $(RECEIVED) --out $(OUT)
	$(VENV)/bin/congvan review $(OUT) --store --out $(OUT)/review

test: setup
	$(VENV)/bin/pytest

# ruff (pyproject.toml [tool.ruff]) over everything, mypy over the packages ([tool.mypy] files)
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# the store tests on PostgreSQL too: starts Debian's server (as root) through scripts/postgres.sh
test-postgres: setup
	CONGVAN_TEST_POSTGRES_URL="$$(bash scripts/postgres.sh)" $(VENV)/bin/pytest -rs tests/test_store.py

schema: setup
	$(VENV)/bin/congvan schema > schemas/schema.json

bench: setup
	$(VENV)/bin/python benchmarks/extract_text.py

goldens: setup
	UPDATE_GOLDENS=1 $(VENV)/bin/pytest tests/test_samples.py

bench-store: setup
	$(VENV)/bin/python benchmarks/store.py

bench-ocr: setup
	$(VENV)/bin/python benchmarks/ocr.py

scans: setup
	$(VENV)/bin/python scripts/render_scans.py --degrade

# make run: extract the sample letters; make test: run the tests. Both set up first.
VENV ?= .venv
SAMPLES ?= data/samples
OUT ?= out/samples

export VENV

.PHONY: setup run test schema bench bench-ocr scans goldens

setup:
	@bash scripts/setup.sh

run: setup
	$(VENV)/bin/congvan extract $(SAMPLES) --out $(OUT)

test: setup
	$(VENV)/bin/pytest

schema: setup
	$(VENV)/bin/congvan schema > schemas/schema.json

bench: setup
	$(VENV)/bin/python benchmarks/extract_text.py

goldens: setup
	UPDATE_GOLDENS=1 $(VENV)/bin/pytest tests/test_samples.py

bench-ocr: setup
	$(VENV)/bin/python benchmarks/ocr.py

scans: setup
	$(VENV)/bin/python scripts/render_scans.py --degrade

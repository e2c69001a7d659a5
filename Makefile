# Diaspora Hub — the two commands a newcomer needs:
#   make demo   set up everything and serve the platform with demo content on http://127.0.0.1:8000
#   make test   run the whole test suite (unit, integration, browser) on the embedded defaults
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint format bench bench-live fuzz clean-data

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

demo: $(STAMP)
	DJANGO_SETTINGS_MODULE=idiaspora.settings.dev $(BIN)/python manage.py runplatform

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/pages.py

# The live layer: idle sockets per process and publish-to-delivery latency, NOTIFY bridge and
# Redis (REDIS_URL=redis://127.0.0.1:6379/9 unless BENCH_REDIS_URL says otherwise).
bench-live: $(STAMP)
	$(BIN)/python bench/live.py $(BENCH_ARGS)

# The open-data API explored by schemathesis with many more generated requests per operation
# than the suite's eight (API_FUZZ_EXAMPLES=300 make fuzz for a longer run).
fuzz: $(STAMP)
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest tests/api/test_schemathesis.py -n 0 -q

clean-data:
	$(BIN)/python -m idiaspora.embedded_postgres stop || true
	rm -rf .data

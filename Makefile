# Two commands on a fresh machine: `make run` and `make test`. Nothing to install by hand.
# The first interpreter that really runs and is 3.11+ (pyenv shims exist for inactive ones).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test lint format browser ffmpeg java node check plotly-bundle bench bench-browser bench-paths bench-playback heavy-bench loadtest clean

run: $(APP_STAMP)
	$(BIN)/dashboard run

test: $(TEST_STAMP) browser ffmpeg java lint
	$(BIN)/python -m pytest -n 2

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(APP_STAMP)
	$(BIN)/dashboard check data

# Speed at 1k, 10k and 100k claims against the naive recipe (add SIZES="1000000" for 1M).
# From 2,000,000 claims up (SIZES=10000000) the app is measured served from DuckDB
# (bench/large.py: first load, start after, callbacks, Chromium, memory).
SIZES ?= 1000 10000 100000
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --sizes $(SIZES)

# Paths between two actors (k=5, 4 hops) at 100,000 claims, against networkx.
bench-paths: $(TEST_STAMP)
	$(BIN)/python bench/paths.py --claims 100000

# What the user waits for, in headless Chromium, against a static sigma.js page on the
# same graph (add SIZES="1000000" for 1M; see README, Scale).
bench-browser: $(BENCH_STAMP) browser node
	$(BIN)/python bench/browser.py --sizes $(SIZES)

# Playback frames drawn in the browser against frames stepped through the server, at 10k
# and 100k claims, in headless Chromium (see README, Time).
bench-playback: $(BENCH_STAMP) browser
	$(BIN)/python bench/playback.py --sizes 10000 100000

# Concurrent clients changing filters against `dashboard serve` with gunicorn workers.
loadtest: $(TEST_STAMP)
	$(BIN)/python bench/load_test.py --claims 100000 --workers 2 --clients 8 --requests 25

# One client's betweenness at 100k claims against another's evidence requests: ours
# (heavy-work pool), naive (in the request thread), and under gunicorn with 2 workers.
heavy-bench: $(TEST_STAMP)
	$(BIN)/python bench/heavy_requests.py --claims 100000 --workers 2 --askers 4

$(BIN)/python:
	@[ -n "$(PYTHON)" ] || { echo "Python 3.11 or newer is needed; none was found"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(APP_STAMP)

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@ $(TEST_STAMP) $(APP_STAMP)

# The page's Plotly (scatter, scattergl, bar), rebuilt from npm's plotly.js into
# dashboard/web/vendor/ (committed: `make run` needs no npm). Keep plotly.js's version in
# tools/plotly-bundle/package.json the one the Python plotly package bundles.
plotly-bundle: node
	cd tools/plotly-bundle && npm ci --no-audit --no-fund && npm run build

# The browser benchmark's anchor page is bundled with npm's packages.
node:
	@command -v npm >/dev/null 2>&1 || { echo "Installing Debian's npm for the benchmark's anchor page"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q npm; }

# The browser tests drive Debian's Chromium through its chromedriver.
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; else \
		echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; \
	fi

# Films of the playback (MP4, WebM) are encoded by Debian's ffmpeg; GIFs need only Pillow.
ffmpeg:
	@command -v ffmpeg >/dev/null 2>&1 || { echo "Installing Debian's ffmpeg for film exports"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q ffmpeg; }

# The portable engine's tests run Spark in local mode, which needs a Java runtime.
java:
	@if command -v java >/dev/null 2>&1; then :; else \
		echo "Installing Debian's default JDK (headless) for the Spark tests"; \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q default-jdk-headless; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info spark-warehouse metastore_db

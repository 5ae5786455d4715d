# VCF Desktop — two commands on a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSDEPS_STAMP := .sysdeps.stamp

# Runtime and test libraries for Qt offscreen and under Xvfb, a light window manager (openbox: the
# geometry tests check window frames), fonts, and poppler for looking at PDFs.
APT_PACKAGES := libgl1 libegl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core libglib2.0-0 libdbus-1-3 \
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	xvfb xauth openbox poppler-utils

.PHONY: run test sysdeps venv clean lint-imports bench

# With no display the app explains the headless options (it never lets Qt abort); make run then
# shows the built-in demo case planned headlessly, so a first look works over SSH too.
run: $(SYSDEPS_STAMP) $(STAMP)
	@if [ "$$(uname)" = Linux ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY$$QT_QPA_PLATFORM" ]; then \
		$(PY) -m vcf_desktop || true; \
		echo; echo "(In this repository the command is .venv/bin/vcf-desktop.) The built-in demo case, planned headlessly:"; echo; \
		$(VENV)/bin/vcf-desktop plan resources/cases/typical-l2-wedge.vcfcase.json --format text; \
	else $(PY) -m vcf_desktop; fi

test: $(SYSDEPS_STAMP) $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	$(VENV)/bin/lint-imports

sysdeps: $(SYSDEPS_STAMP)

# Installs only the packages that are missing, and only as root; otherwise prints the apt line.
$(SYSDEPS_STAMP):
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "system packages: all present"; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing < /dev/null; \
	else \
		echo "missing system packages:$$missing"; \
		echo "as root run: apt-get install --no-install-recommends$$missing"; \
	fi
	@touch $@

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,build]' 2>&1 | grep -v "is ignored: it is neither" || true
	$(PY) -c "import vcf_desktop, PySide6, pydantic, pytest, pytestqt, hypothesis"
	@touch $@

lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) benchmarks/engine.py
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/edit_latency.py

clean:
	rm -rf $(VENV) $(SYSDEPS_STAMP) build dist .pytest_cache

# --- Packaging (build_scripts/README.md): onedir bundle, frozen smoke checks, .deb, size/start-up bench ---
.PHONY: build build-sysdeps package-check deb deb-check bundle-bench

# binutils: PyInstaller's strip and the spec's readelf (library pruning); installed only if missing.
build-sysdeps:
	@command -v readelf > /dev/null && command -v strip > /dev/null || \
	if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils < /dev/null; \
	else echo "building needs binutils; as root run: apt-get install --no-install-recommends binutils"; exit 1; fi

build: $(STAMP) build-sysdeps
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN build_scripts/vcf-desktop.spec

package-check: build $(SYSDEPS_STAMP)
	build_scripts/smoke.sh dist/vcf-desktop

deb: build
	build_scripts/linux/build_deb.sh

deb-check: deb $(SYSDEPS_STAMP)
	build_scripts/linux/check_deb.sh

bundle-bench: build
	$(PY) benchmarks/bundle.py

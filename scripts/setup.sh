#!/usr/bin/env bash
# Make this checkout ready to run and test: a virtualenv with congvan installed editable (with
# its test tools), Debian's Tesseract with Vietnamese for OCR, and the database of the temporary
# Prefect server the flows start (under PREFECT_HOME, default var/prefect). Safe to run again: work
# already done is skipped, so a second run takes about a second.
#
# VENV=path puts the virtualenv elsewhere (default: .venv in the repo).
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${VENV:-.venv}"
stamp="$venv/.congvan-installed"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"

find_python() {
    local candidate
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "setup: congvan needs Python 3.11 or newer (python3.11 or python3 on PATH)" >&2
    exit 1
}

# The stamp holds the hash of pyproject.toml the venv was installed from: a changed
# dependency list reinstalls, anything else is already in place (the install is editable).
if [[ -x "$venv/bin/congvan" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    echo "setup: $venv is up to date"
else
    if [[ ! -x "$venv/bin/python" ]]; then
        python="$(find_python)"
        echo "setup: creating $venv with $("$python" --version)"
        "$python" -m venv "$venv"
    fi
    echo "setup: installing congvan (editable, with test extras) into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
    echo "$wanted" >"$stamp"
fi

# Debian packages: Tesseract with its Vietnamese model (OCR), Liberation Serif 2, a Times-like
# font with Vietnamese's stacked marks, which scripts/render_scans.py draws with, and Chromium,
# the headless browser tests/test_review_browser.py opens the review site in (skipped without it).
have_tesseract() { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; }
have_font() { [[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ]]; }
have_chromium() { command -v chromium >/dev/null; }
if have_tesseract && have_font && have_chromium; then
    echo "setup: tesseract with Vietnamese, Liberation Serif 2 and Chromium are installed"
elif [[ "$(id -u)" == 0 ]]; then
    echo "setup: installing tesseract-ocr, tesseract-ocr-vie, fonts-liberation2 and chromium from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie fonts-liberation2 \
        chromium >/dev/null
else
    echo "setup: Tesseract with Vietnamese (OCR of scans), Liberation Serif 2 or Chromium (browser tests) is" \
        "missing. Install with:" >&2
    echo "         sudo apt-get install tesseract-ocr tesseract-ocr-vie fonts-liberation2 chromium" >&2
fi

# The temporary Prefect server migrates an empty database on its first start, which on a cold
# machine took longer than Prefect waits for it: do it here (flows/prefect_env.py), once per
# PREFECT_HOME and install; the stamp says for which install it was done.
prefect_home="$("$venv/bin/python" -c 'import flows.prefect_env as e; print(e.configure())')"
prefect_stamp="$prefect_home/.congvan-migrated"
if [[ -f "$prefect_home/prefect.db" && -f "$prefect_stamp" && "$(cat "$prefect_stamp")" == "$wanted" ]]; then
    echo "setup: Prefect database under $prefect_home is up to date"
else
    "$venv/bin/python" -m flows prepare
    echo "$wanted" >"$prefect_stamp"
fi

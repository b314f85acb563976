#!/usr/bin/env bash
# Installs Scrapy from PyPI into target/bench-venv for `cargo bench --bench crawl`.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv target/bench-venv
target/bench-venv/bin/pip install --quiet --upgrade pip
target/bench-venv/bin/pip install --quiet scrapy
target/bench-venv/bin/python -c 'import scrapy; print("scrapy", scrapy.__version__)'

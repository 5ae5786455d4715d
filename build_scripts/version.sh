#!/usr/bin/env bash
# Prints the app version: vcf_desktop.__version__, which pyproject.toml reads (dynamic version).
set -euo pipefail
sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$(dirname "$0")/../vcf_desktop/__init__.py"

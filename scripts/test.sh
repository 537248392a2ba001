#!/usr/bin/env bash
# Install what the tests need (Python packages, Debian's chromium) and run every test:
# lint, content check, unit, AppTest and browser tests. Fails if any test is skipped or no browser test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if [ ! -x /usr/sbin/haproxy ]; then
  echo "Installing Debian's haproxy for the deployment tests..."
  SUDO=""
  if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
fi

mkdir -p artifacts
python3 -m ruff check .
python3 -m components.knowledge check
python3 -m pytest "$@" --junitxml=artifacts/junit.xml
python3 scripts/check_junit.py artifacts/junit.xml

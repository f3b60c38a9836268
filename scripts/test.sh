#!/usr/bin/env bash
# The test command (README, CI): installs what the tests need, then lints and runs every test,
# browser tests included (Debian's Chromium, headless). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
python3 -m pip install -q -e ".[test]"
if ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if ! [ -x /usr/bin/redis-server ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
fi
if ! [ -x /usr/sbin/nginx ]; then  # the scale-out test (tests/web/test_scaleout.py) runs a real nginx
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  fi
fi
# axe-core (accessibility audits in the browser tests), from the npm registry, kept out of the repo
if ! [ -f .cache/axe/package/axe.min.js ]; then
  mkdir -p .cache/axe
  (cd .cache/axe && npm pack --silent axe-core@4.14.1 >/dev/null && tar xzf axe-core-4.14.1.tgz)
fi
python3 -m ruff check .
# the browser's address parser and reducer, against the cases pytest runs too (tests/cases)
node --test tests/js/
python3 -m pytest "$@"

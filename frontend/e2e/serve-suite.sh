#!/usr/bin/env bash
# The suite the browser tests drive: a fresh SQLite database with the demo data, DEV_MODE,
# serving the built app from frontend/dist. Started and stopped by Playwright (webServer);
# the server's log is var/e2e-suite.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-8765}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
export DEBUG=true DEV_MODE=true DATABASE_URL="sqlite:///$data/e2e.sqlite3"
.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py seed_demo > /dev/null
mkdir -p var
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload 2> var/e2e-suite.log

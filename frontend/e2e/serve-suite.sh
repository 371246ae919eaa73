#!/usr/bin/env bash
# The suite the browser tests drive, serving the built app from frontend/dist. Started and
# stopped by Playwright (webServer, playwright.config.ts):
#
#   serve-suite.sh PORT          DEV_MODE, on a fresh SQLite database with the demo data
#                                (e2e/*.spec.ts); the server's log is var/e2e-suite.log
#   serve-suite.sh PORT auth0    the same data, DEV_MODE off: the app signs in with the Auth0
#                                named by AUTH0_DOMAIN, AUTH0_API_AUDIENCE, AUTH0_SPA_CLIENT_ID,
#                                AUTH0_ISSUER and AUTH0_JWKS_URL (the fake of e2e/auth0/);
#                                var/e2e-suite-auth0.log
#   serve-suite.sh PORT shell    DEV_MODE off with whatever AUTH0_* the environment has, and no
#                                database set up: only for the app shell and its runtime config;
#                                var/e2e-suite-shell.log
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-8765}"
mode="${2:-dev}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
# Attachments' files are thrown away with the database.
export DEBUG=true DATABASE_URL="sqlite:///$data/e2e.sqlite3" MEDIA_ROOT="$data/media"
log=var/e2e-suite.log
case "$mode" in
  dev)
    export DEV_MODE=true
    ;;
  auth0)
    export DEV_MODE=false
    for name in AUTH0_DOMAIN AUTH0_API_AUDIENCE AUTH0_SPA_CLIENT_ID AUTH0_ISSUER AUTH0_JWKS_URL; do
      if [ -z "${!name:-}" ]; then echo "serve-suite.sh auth0: $name is not set" >&2; exit 2; fi
    done
    log=var/e2e-suite-auth0.log
    ;;
  shell)
    export DEV_MODE=false
    log=var/e2e-suite-shell.log
    ;;
  *)
    echo "serve-suite.sh: unknown mode '$mode' (dev, auth0 or shell)" >&2
    exit 2
    ;;
esac
if [ "$mode" != shell ]; then
  .venv/bin/python manage.py migrate --no-input -v 0
  .venv/bin/python manage.py seed_demo > /dev/null
fi
mkdir -p var
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload 2> "$log"

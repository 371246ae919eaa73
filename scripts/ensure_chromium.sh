#!/usr/bin/env bash
# The browser tests drive Debian's chromium (/usr/bin/chromium; Playwright's own
# browser download is not used). Installs it when missing and this user may; else says how.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
  echo "Installing Debian's chromium for the browser tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  exit 0
fi
echo "The browser tests need Debian's chromium at /usr/bin/chromium:" >&2
echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
exit 1

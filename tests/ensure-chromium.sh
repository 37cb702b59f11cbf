#!/bin/sh
# Browser tests drive Debian's Chromium through Playwright; install it when it is missing.
# (Playwright's own browser download needs the internet; Debian's package does not.)
set -e
if [ -x /usr/bin/chromium ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version

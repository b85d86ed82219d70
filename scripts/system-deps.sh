#!/usr/bin/env bash
# Debian packages OncoParcours needs beyond Python: Chromium for browser tests (never a
# downloaded browser). Installs only what is missing; needs root (or sudo).
set -euo pipefail
# make runs the README's commands; chromium the browser tests.
packages=(make chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

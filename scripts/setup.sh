#!/usr/bin/env bash
# Installs everything the build, tests, demo and benchmark need, from Debian and npm only.
# Idempotent and quiet: when nothing is missing it prints nothing and touches nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl libyaml-cpp-dev libsqlite3-dev libcli11-dev libspdlog-dev
  libsimdjson-dev prometheus-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light wrk valgrind clang curl procps util-linux
  chromium
)
# Node 20 may come with the machine rather than from Debian: only install it when absent.
command -v node >/dev/null && command -v npm >/dev/null || APT_PACKAGES+=(nodejs npm)
# The connect-timeout test uses python3 for a listener that never accepts.
command -v python3 >/dev/null || APT_PACKAGES+=(python3)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node packages for the end-to-end tests and the demo, pinned by the committed lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --silent --no-audit --no-fund >/dev/null
fi

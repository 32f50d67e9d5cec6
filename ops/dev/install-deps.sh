#!/usr/bin/env bash
# Installs everything sluice needs to build and test, from Debian packages.
# Safe to run again: apt-get skips what is already installed.
#
# Usage: ops/dev/install-deps.sh [--build-only]
#   --build-only  only what building sluice without its tests needs (ops/docker/Dockerfile):
#                 no test servers, browser, Prometheus nor benchmark peers.
set -euo pipefail

build_only=false
case "${1:-}" in
  --build-only) build_only=true ;;
  "") ;;
  *) echo "usage: $0 [--build-only]" >&2; exit 2 ;;
esac

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libyaml-cpp-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libcli11-dev libvalijson-dev
  libcctz-dev libspdlog-dev libfmt-dev
  # alert delivery (webhooks); the HTTP API, UI and /metrics
  libcurl4-openssl-dev libcpp-httplib-dev prometheus-cpp-dev
  # data plugins: MySQL/MariaDB client, PostgreSQL client, Parquet page compression
  libmysqlcppconn-dev libpq-dev libzstd-dev libsnappy-dev zlib1g-dev
)
if ! $build_only; then
  packages+=(
    libgtest-dev libgmock-dev libbenchmark-dev
    make python3 bc time
    # real servers for the integration tests, and the peers the benchmarks compare against
    mariadb-server mariadb-client postgresql python3-pandas
    # the UI's browser test (Playwright drives Debian's Chromium) and the scrape test
    chromium prometheus
  )
fi
# The UI's build needs Node.js 20.19+ (runtime/ui/CMakeLists.txt checks); Debian 12's nodejs is
# 18, so a newer one already on the PATH (NodeSource's, or the Dockerfile's) is kept.
command -v node >/dev/null 2>&1 || packages+=(nodejs)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The machine's Node.js may bundle npm (NodeSource's does); Debian's nodejs does not.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get update -qq
sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

#!/usr/bin/env bash
# Installs the Debian packages hearth needs, only those that are missing.
# Used by `make demo`, `make test` and .ci/run; safe to run again.
set -euo pipefail

packages=(
  redis-server redis-tools mosquitto mosquitto-clients postgresql
  libpq-dev libhiredis-dev libmosquitto-dev libssl-dev pkg-config
  util-linux procps openssl gcc make python3 python3-jsonschema python3-cryptography chromium
  docker-compose
  gdb  # scripts/run-tests.sh prints the stacks of a test run that hangs
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# Python modules the tests use (schema validation, Fernet interoperability):
# the system python may already have them from pip, in which case the Debian
# packages are not needed.
if python3 -c 'import jsonschema, cryptography' 2>/dev/null; then
  filtered=()
  for package in "${missing[@]}"; do
    case "$package" in python3-jsonschema|python3-cryptography) ;; *) filtered+=("$package") ;; esac
  done
  missing=("${filtered[@]}")
fi

# docker/check.sh (run by the test suite) needs a compose client to render
# compose.yaml; the docker CLI's compose plugin serves as well as Debian's
# docker-compose. No Docker engine is needed or started.
if docker compose version >/dev/null 2>&1; then
  filtered=()
  for package in "${missing[@]}"; do
    [ "$package" = docker-compose ] || filtered+=("$package")
  done
  missing=("${filtered[@]}")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "hearth: installing Debian packages: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "hearth: run as root or install sudo to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged services on install; hearth runs its own copies
# on free ports, so stop the system ones to leave the machine quiet.
for service in redis-server mosquitto postgresql; do
  $sudo service "$service" stop >/dev/null 2>&1 || true
done

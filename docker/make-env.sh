#!/usr/bin/env bash
# Makes the secrets the container stack needs; none of them is committed
# (docker/.gitignore). Run it once before `docker compose up`:
#
#   docker/make-env.sh [--force] [--houses N] [--owners N] [--dir DIR]
#
# Writes, under DIR (default: the folder of this script):
#   .env                        POSTGRES_PASSWORD, HEARTH_JWT_SECRET, HEARTH_ADMIN_*,
#                               MQTT passwords, GRAFANA_ADMIN_PASSWORD
#   secrets/mosquitto/passwd    mosquitto password file: users "1".."N" (house ids),
#                               subscriber, api, loadgen (mosquitto_passwd -b)
#   secrets/mosquitto/houses.txt  each house's MQTT password (house id, password)
#   secrets/keys/owner-<N>.key  Fernet owner keys (hearth keys generate), if a
#                               hearth binary is found; else how to make them.
#   reports/                    where `--profile load` runs write their reports
# An existing .env is kept (its Postgres password matches the data volume)
# unless --force is given.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here"
force=false
houses="${HEARTH_HOUSES:-10}"
owners="${HEARTH_OWNERS:-10}"
while [ $# -gt 0 ]; do
    case "$1" in
        --force) force=true ;;
        --houses) houses="$2"; shift ;;
        --owners) owners="$2"; shift ;;
        --dir) dir="$2"; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "make-env.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case "$houses$owners" in *[!0-9]*) echo "make-env.sh: --houses and --owners take numbers" >&2; exit 2 ;; esac

command -v openssl >/dev/null || { echo "make-env.sh: needs openssl (apt-get install openssl)" >&2; exit 2; }
umask 077
mkdir -p "$dir/secrets/mosquitto" "$dir/secrets/keys"

# A URL-safe secret: letters and digits only, so it can sit inside a URL.
secret() { openssl rand -base64 $(( $1 * 2 )) | tr -dc 'A-Za-z0-9' | head -c "$1"; }

env_file="$dir/.env"
if [ -f "$env_file" ] && [ "$force" = false ]; then
    echo "keeping $env_file (use --force to make new secrets)"
else
    cat > "$env_file" <<ENV
# Made by docker/make-env.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ). Secret: never commit.
COMPOSE_PROJECT_NAME=hearth
POSTGRES_PASSWORD=$(secret 32)
HEARTH_JWT_SECRET=$(openssl rand -base64 48 | tr -d '\n')
HEARTH_ADMIN_EMAIL=admin@hearth.local
HEARTH_ADMIN_PASSWORD=$(secret 24)
HEARTH_MQTT_SUBSCRIBER_PASSWORD=$(secret 32)
HEARTH_MQTT_API_PASSWORD=$(secret 32)
HEARTH_MQTT_LOADGEN_PASSWORD=$(secret 32)
GRAFANA_ADMIN_PASSWORD=$(secret 24)
HEARTH_SCENARIO=smoke.yaml
ENV
    echo "wrote $env_file"
fi
# shellcheck disable=SC1090
set -a; . "$env_file"; set +a

# mosquitto_passwd from Debian's mosquitto package, else from the broker image.
passwd_file="$dir/secrets/mosquitto/passwd"
if command -v mosquitto_passwd >/dev/null; then
    mqpasswd() { mosquitto_passwd "$@"; }
    target="$passwd_file"
elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    mqpasswd() { docker run --rm -v "$dir/secrets/mosquitto:/m" eclipse-mosquitto:2 mosquitto_passwd "$@"; }
    target=/m/passwd
else
    echo "make-env.sh: needs mosquitto_passwd (apt-get install mosquitto) or a running Docker engine" >&2
    exit 2
fi
: > "$passwd_file"
: > "$dir/secrets/mosquitto/houses.txt"
mqpasswd -b "$target" subscriber "$HEARTH_MQTT_SUBSCRIBER_PASSWORD"
mqpasswd -b "$target" api "$HEARTH_MQTT_API_PASSWORD"
mqpasswd -b "$target" loadgen "$HEARTH_MQTT_LOADGEN_PASSWORD"
for house in $(seq 1 "$houses"); do
    password="$(secret 24)"
    mqpasswd -b "$target" "$house" "$password"
    printf '%s %s\n' "$house" "$password" >> "$dir/secrets/mosquitto/houses.txt"
done
echo "wrote $passwd_file (subscriber, api, loadgen and houses 1-$houses)"

# Fernet owner keys, if a hearth binary is at hand.
hearth="${HEARTH_BIN:-}"
if [ -z "$hearth" ]; then
    for candidate in "$(command -v hearth || true)" "$here/../.build/release/hearth" "$here/../.build/debug/hearth"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then hearth="$candidate"; break; fi
    done
fi
if [ -n "$hearth" ]; then
    made=true
    for owner in $(seq 1 "$owners"); do
        if [ -e "$dir/secrets/keys/owner-$owner.key" ]; then continue; fi
        if ! "$hearth" keys generate --owner "$owner" --dir "$dir/secrets/keys" >/dev/null; then
            made=false; break
        fi
    done
    if [ "$made" = true ]; then
        echo "Fernet keys for owners 1-$owners in $dir/secrets/keys ($hearth)"
    else
        echo "$hearth could not make the keys; make them with the image instead:"
        echo "  docker compose -f docker/compose.yaml --profile setup run --rm keys generate --owner 1 --owner 2"
    fi
else
    echo "no hearth binary found (set HEARTH_BIN); make the owner keys with the image instead:"
    echo "  docker compose -f docker/compose.yaml --profile setup run --rm keys generate --owner 1 --owner 2"
fi

# The containers run as uid 10001 (hearth) and mosquitto as uid 1883; when
# this runs as root, hand them their files, else make them readable.
if [ "$(id -u)" = 0 ]; then
    chown -R 10001:10001 "$dir/secrets/keys"
    chown 1883:1883 "$passwd_file"
    chmod 0600 "$passwd_file"
else
    chmod 0644 "$passwd_file"
    chmod 0755 "$dir/secrets/keys"
    echo "note: the key files are 0600 and owned by you; if the containers cannot read them, run:"
    echo "  sudo chown -R 10001:10001 $dir/secrets/keys"
fi
chmod 0755 "$dir/secrets" "$dir/secrets/mosquitto"
# Where `--profile load` runs write their reports (the hearth user writes there).
mkdir -p "$dir/reports"
if [ "$(id -u)" = 0 ]; then chown 10001:10001 "$dir/reports"; else chmod 1777 "$dir/reports"; fi

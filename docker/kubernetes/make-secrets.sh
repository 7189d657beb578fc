#!/usr/bin/env bash
# Creates (or replaces) the Kubernetes Secrets the manifests reference, from
# what docker/make-env.sh made. Values never go into the manifests.
#   docker/make-env.sh && docker/kubernetes/make-secrets.sh [NAMESPACE]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
docker_dir="$(cd "$here/.." && pwd)"
namespace="${1:-hearth}"
[ -f "$docker_dir/.env" ] || { echo "run docker/make-env.sh first" >&2; exit 2; }
kubectl get namespace "$namespace" >/dev/null 2>&1 || kubectl create namespace "$namespace"
apply() { kubectl -n "$namespace" create secret generic "$@" --dry-run=client -o yaml | kubectl apply -f -; }
# POSTGRES_PASSWORD, HEARTH_JWT_SECRET, HEARTH_ADMIN_*, HEARTH_MQTT_*_PASSWORD, GRAFANA_ADMIN_PASSWORD
apply hearth-env --from-env-file="$docker_dir/.env"
apply mosquitto-passwd --from-file=passwd="$docker_dir/secrets/mosquitto/passwd"
if ls "$docker_dir"/secrets/keys/owner-*.key >/dev/null 2>&1; then
    apply hearth-keys --from-file="$docker_dir/secrets/keys/"
else
    echo "no owner keys in $docker_dir/secrets/keys; make them first (see docker/README.md)" >&2
    exit 2
fi
echo "secrets hearth-env, mosquitto-passwd, hearth-keys are in namespace $namespace"

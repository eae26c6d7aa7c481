# Shared settings and helpers for the local test cluster scripts (sourced, not run).
# Everything the cluster needs lives outside the repository: binaries under a
# cache keyed by the pinned Kubernetes version, state (certificates, etcd data,
# logs, kubeconfig) in one directory that `down` removes.

set -euo pipefail

CLUSTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$CLUSTER_DIR/../.." && pwd)
BUILD_MODULE=$CLUSTER_DIR/build
K8S_VERSION=$(awk '$1 == "k8s.io/kubernetes" { print $2; exit }' "$BUILD_MODULE/go.mod")
CACHE_ROOT=${AIRFORCE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-airforce}
BIN_DIR=$CACHE_ROOT/cluster/$K8S_VERSION/bin
STATE_DIR=${AIRFORCE_CLUSTER_STATE:-$CACHE_ROOT/cluster/state}
PKI_DIR=$STATE_DIR/pki
LOG_DIR=$STATE_DIR/logs
PID_DIR=$STATE_DIR/pids
KUBECONFIG_PATH=$STATE_DIR/kubeconfig

APISERVER_PORT=${AIRFORCE_APISERVER_PORT:-16443}
ETCD_CLIENT_PORT=${AIRFORCE_ETCD_PORT:-12379}
ETCD_PEER_PORT=$((ETCD_CLIENT_PORT + 1))
CONTROLLER_MANAGER_PORT=$((APISERVER_PORT + 1))
SCHEDULER_PORT=$((APISERVER_PORT + 2))
KWOK_PORT=$((APISERVER_PORT + 3))

# Component processes in start order; `down` stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

# Installs a Debian package when its command is missing, so a fresh machine works.
need_command() {
  local cmd=$1 pkg=${2:-$1}
  command -v "$cmd" >/dev/null 2>&1 && return 0
  log "installing $pkg (needed for $cmd)"
  if [ "$(id -u)" -ne 0 ]; then die "$cmd is missing: install the Debian package $pkg"; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
}

pid_of() {
  local file=$PID_DIR/$1.pid
  [ -f "$file" ] && cat "$file"
}

is_running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Stops a process: SIGTERM, then SIGKILL after ten seconds.
stop_pid() {
  local pid=$1 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL "$pid" 2>/dev/null || true
}

kubectl_admin() {
  "$BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_PATH" "$@"
}

apiserver_ready() {
  [ -f "$KUBECONFIG_PATH" ] && [ -x "$BIN_DIR/kubectl" ] &&
    [ "$(kubectl_admin get --raw /readyz --request-timeout=2s 2>/dev/null)" = "ok" ]
}

# Polls a command until it succeeds or the deadline passes.
wait_for() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after ${seconds}s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

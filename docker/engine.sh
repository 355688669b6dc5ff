#!/bin/sh
# Start, stop or query a Docker engine for hosts that have the packages but no running
# daemon (our CI; see docker/README.md). Installs nothing: run .ci/install-docker.sh first.
#
#   docker/engine.sh start    start dockerd in the background unless an engine already answers
#   docker/engine.sh stop     stop the dockerd this script started (by its pid), nothing else
#   docker/engine.sh status   say whether an engine answers and whether we started it
#
# The daemon runs without a bridge network and without touching iptables: every container
# of this project uses host networking and talks to 127.0.0.1 only. Address pools are moved
# to 198.18.0.0/15 (benchmarking range) so that nothing is ever assigned a private range.
#
# State (pid file, daemon log) lives in .docker/ at the repository root (gitignored);
# DOCKER_ENGINE_STATE overrides the folder.
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
STATE=${DOCKER_ENGINE_STATE:-$ROOT/.docker}
PIDFILE=$STATE/dockerd.pid
LOG=$STATE/dockerd.log
WAIT_SECONDS=${DOCKER_ENGINE_WAIT:-60}

engine_answers() {
  docker info --format '{{.ServerVersion}}' >/dev/null 2>&1
}

our_pid() {
  # Prints the pid from the pid file if that process is still a dockerd; else nothing.
  [ -f "$PIDFILE" ] || return 0
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  case $pid in ''|*[!0-9]*) return 0 ;; esac
  if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = dockerd ]; then
    echo "$pid"
  fi
}

start() {
  pid=$(our_pid)
  if engine_answers; then
    if [ -n "$pid" ]; then
      echo "engine: already running (dockerd pid $pid, started by this script)"
    else
      echo "engine: an engine already answers (not started by this script; left alone)"
    fi
    return 0
  fi
  if [ -n "$pid" ]; then
    echo "engine: dockerd pid $pid exists but does not answer; stopping it first" >&2
    stop
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "engine: dockerd not found; install it with .ci/install-docker.sh (apt-get install docker.io)" >&2
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "engine: dockerd needs root" >&2
    return 1
  fi
  mkdir -p "$STATE"
  : >"$LOG"
  # setsid: the daemon must outlive this shell and not get its terminal's signals.
  setsid dockerd \
    --bridge=none \
    --iptables=false \
    --ip6tables=false \
    --ip-masq=false \
    --default-address-pool base=198.18.0.0/16,size=24 \
    </dev/null >>"$LOG" 2>&1 &
  pid=$!
  echo "$pid" >"$PIDFILE"
  echo "engine: started dockerd (pid $pid, log $LOG); waiting for docker info"
  i=0
  while ! engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "engine: dockerd exited during startup; last lines of $LOG:" >&2
      tail -n 30 "$LOG" >&2
      rm -f "$PIDFILE"
      return 1
    fi
    i=$((i + 1))
    if [ "$i" -gt $((WAIT_SECONDS * 4)) ]; then
      echo "engine: no answer from docker info after ${WAIT_SECONDS}s; last lines of $LOG:" >&2
      tail -n 30 "$LOG" >&2
      return 1
    fi
    sleep 0.25
  done
  echo "engine: ready ($(docker info --format 'server {{.ServerVersion}}, storage {{.Driver}}'))"
}

stop() {
  pid=$(our_pid)
  if [ -z "$pid" ]; then
    rm -f "$PIDFILE"
    if engine_answers; then
      echo "engine: an engine answers but was not started by this script; left alone"
    else
      echo "engine: not running"
    fi
    return 0
  fi
  echo "engine: stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  i=0
  while kill -0 "$pid" 2>/dev/null; do
    i=$((i + 1))
    if [ "$i" -gt 120 ]; then
      echo "engine: dockerd (pid $pid) still running after 30s; sending KILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.25
  done
  rm -f "$PIDFILE"
  echo "engine: stopped"
}

status() {
  pid=$(our_pid)
  if engine_answers; then
    v=$(docker version --format 'server {{.Server.Version}} (API {{.Server.APIVersion}}), client {{.Client.Version}}' 2>/dev/null || echo '?')
    if [ -n "$pid" ]; then
      echo "engine: running, dockerd pid $pid started by this script; $v"
    else
      echo "engine: running, not started by this script; $v"
    fi
    return 0
  fi
  if [ -n "$pid" ]; then
    echo "engine: dockerd pid $pid exists but does not answer (see $LOG)"
  else
    echo "engine: not running"
  fi
  return 3
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  restart) stop && start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac

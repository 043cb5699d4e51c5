#!/usr/bin/env bash
# Start a single-node SLURM cluster on localhost for tests/test_slurm.py (Debian 12, slurm-wlm 22.05).
#
#   tests/slurm/start_slurm.sh [STATE_DIR]      (default: /tmp/stromir-slurm)
#
# - If a SLURM cluster already answers with an idle node in partition "debug", it is reused and
#   nothing is started (STATE_DIR/started_pids stays empty, so stop_slurm.sh stops nothing).
# - Otherwise, as root: installs slurm-wlm and munge with apt-get when missing, writes
#   /etc/slurm/slurm.conf from tests/slurm/slurm.conf.in (only if absent or written by this script),
#   starts munged, slurmctld and `slurmd -N localhost` (the node is named explicitly because the
#   machine's hostname is not "localhost"), waits until the node is idle, and records the PIDs it
#   started in STATE_DIR/started_pids for stop_slurm.sh.
# No cgroups (proctrack/linuxproc, task/none) and no accounting database: Snakemake's SLURM
# executor must then query job status with squeue (slurm-status-command: squeue).
# Exit codes: 0 cluster ready; 2 cannot start here (not root, no apt, ...); 1 start failed.
set -euo pipefail

STATE_DIR="${1:-${STROMIR_SLURM_STATE:-/tmp/stromir-slurm}}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF=/etc/slurm/slurm.conf
MARKER="# written by stromir tests/slurm/start_slurm.sh"
PARTITION=debug

mkdir -p "$STATE_DIR"
: > "$STATE_DIR/started_pids"

log() { echo "start_slurm: $*" >&2; }
cannot() { log "cannot start SLURM here: $*"; exit 2; }

cluster_idle() {
    command -v sinfo > /dev/null 2>&1 || return 1
    local state
    state="$(timeout 10 sinfo -h -p "$PARTITION" -o %t 2> /dev/null | head -n1)" || return 1
    [[ "$state" == idle* || "$state" == mix* || "$state" == alloc* ]]
}

if cluster_idle; then
    log "a SLURM cluster with partition '$PARTITION' is already up; reusing it, starting nothing"
    exit 0
fi

[[ "$(id -u)" == 0 ]] || cannot "not root (needs root to install and run munged/slurmctld/slurmd)"

if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null \
    || ! command -v sbatch > /dev/null || ! command -v munged > /dev/null; then
    command -v apt-get > /dev/null || cannot "slurm-wlm/munge missing and no apt-get"
    log "installing slurm-wlm and munge with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends slurm-wlm munge > "$STATE_DIR/apt.log" 2>&1; then
        apt-get update > "$STATE_DIR/apt-update.log" 2>&1 || true
        apt-get install -y --no-install-recommends slurm-wlm munge > "$STATE_DIR/apt.log" 2>&1 \
            || cannot "apt-get install slurm-wlm munge failed, see $STATE_DIR/apt.log"
    fi
fi

# --- slurm.conf: sized from this machine (2 x its CPUs, 80% of its RAM) ---------------------------------
if [[ -e "$CONF" ]] && ! grep -qF "$MARKER" "$CONF"; then
    log "$CONF exists and was not written by this script; not overwriting it."
    log "fix: start that cluster yourself (partition '$PARTITION', node idle), or move $CONF away"
    exit 1
fi
CPUS="$((2 * $(nproc)))"  # see slurm.conf.in: oversubscribed on purpose
MEM_MB="$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.8}' /proc/meminfo)"
mkdir -p /etc/slurm
{
    echo "$MARKER"
    sed -e "s/@CPUS@/$CPUS/" -e "s/@MEM_MB@/$MEM_MB/" -e "s/@PARTITION@/$PARTITION/" \
        "$HERE/slurm.conf.in"
} > "$CONF.tmp"
mv "$CONF.tmp" "$CONF"
log "wrote $CONF (CPUs=$CPUS RealMemory=$MEM_MB)"

mkdir -p /run/slurm /var/spool/slurmd /var/spool/slurmctld /var/log/slurm
# A fresh controller state: a previous run's saved jobs/node state must not leak into this one.
rm -rf /var/spool/slurmctld/* /var/spool/slurmd/*

# --- munge ----------------------------------------------------------------------------------
munge_ok() { munge -n 2> /dev/null | unmunge > /dev/null 2>&1; }
if ! munge_ok; then
    if [[ ! -s /etc/munge/munge.key ]]; then
        if command -v mungekey > /dev/null; then
            mungekey --create --keyfile=/etc/munge/munge.key
        else
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
        fi
    fi
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    chmod 755 /run/munge
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 50); do munge_ok && break; sleep 0.2; done
    munge_ok || { log "munged did not come up (see /var/log/munge/munged.log)"; exit 1; }
    cat /run/munge/munged.pid >> "$STATE_DIR/started_pids"
    log "munged started (pid $(cat /run/munge/munged.pid))"
fi

# --- slurmctld and slurmd -------------------------------------------------------------------
wait_pidfile() {
    for _ in $(seq 100); do [[ -s "$1" ]] && return 0; sleep 0.1; done
    return 1
}
rm -f /run/slurm/slurmctld.pid /run/slurm/slurmd.pid
/usr/sbin/slurmctld
wait_pidfile /run/slurm/slurmctld.pid || { log "slurmctld did not start (see /var/log/slurm/slurmctld.log)"; exit 1; }
cat /run/slurm/slurmctld.pid >> "$STATE_DIR/started_pids"
/usr/sbin/slurmd -N localhost
wait_pidfile /run/slurm/slurmd.pid || { log "slurmd did not start (see /var/log/slurm/slurmd.log)"; exit 1; }
cat /run/slurm/slurmd.pid >> "$STATE_DIR/started_pids"

for _ in $(seq 60); do
    cluster_idle && break
    state="$(sinfo -h -p "$PARTITION" -o %t 2> /dev/null | head -n1 || true)"
    if [[ "$state" == down* || "$state" == drain* ]]; then
        scontrol update NodeName=localhost State=RESUME > /dev/null 2>&1 || true
    fi
    sleep 1
done
if ! cluster_idle; then
    log "node did not become idle: $(sinfo -h -N -o '%N %t %E' 2>&1 | head -n3)"
    exit 1
fi
log "SLURM ready: $(sinfo -h -N -o '%N %P %t cpus=%c mem=%m')"
log "started pids: $(tr '\n' ' ' < "$STATE_DIR/started_pids")"

#!/usr/bin/env bash
# Stop the daemons that tests/slurm/start_slurm.sh started, by the PIDs it recorded
# (STATE_DIR/started_pids), never by name. A reused, pre-existing cluster is left alone.
#   tests/slurm/stop_slurm.sh [STATE_DIR]      (default: /tmp/stromir-slurm)
set -uo pipefail
STATE_DIR="${1:-${STROMIR_SLURM_STATE:-/tmp/stromir-slurm}}"
PIDS_FILE="$STATE_DIR/started_pids"
[[ -s "$PIDS_FILE" ]] || { echo "stop_slurm: nothing recorded in $PIDS_FILE, nothing to stop" >&2; exit 0; }

# Stop in reverse start order: slurmd, slurmctld, munged.
mapfile -t PIDS < <(tac "$PIDS_FILE")
for pid in "${PIDS[@]}"; do
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    comm="$(cat "/proc/$pid/comm" 2> /dev/null || true)"
    case "$comm" in
        slurmd | slurmctld | munged) ;;
        "") echo "stop_slurm: pid $pid already gone" >&2; continue ;;
        *) echo "stop_slurm: pid $pid is now '$comm', not a daemon we started; skipping" >&2; continue ;;
    esac
    kill -TERM "$pid" 2> /dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2> /dev/null; then
        echo "stop_slurm: $comm (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL" >&2
        kill -KILL "$pid" 2> /dev/null || true
    fi
    echo "stop_slurm: stopped $comm (pid $pid)" >&2
done
: > "$PIDS_FILE"

# Remove the slurm.conf that start_slurm.sh wrote: with it and no controller, every `scontrol`
# waits ~10 s for a connection, and the Snakemake SLURM plugin runs `scontrol show config` each
# time snakemake starts, so every later snakemake call on this machine would pay that wait.
CONF=/etc/slurm/slurm.conf
if [[ -f "$CONF" ]] && grep -qF "# written by stromir tests/slurm/start_slurm.sh" "$CONF"; then
    rm -f "$CONF"
    echo "stop_slurm: removed $CONF (written by start_slurm.sh)" >&2
fi

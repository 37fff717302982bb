#!/usr/bin/env bash
# Runs a revsim sweep on a Slurm cluster as an array job, one shard per array task, then merges
# the shards into one folder identical to the sweep run on a single machine.
#
#   scenarios/sweeps/slurm_sweep.sh submit [OPTIONS] SWEEP.toml N [OUT]
#       checks the sweep file and the request against the cluster, submits the array
#       (N tasks, task i runs shard i/N into OUT/shard-i-of-N with --resume) and a merge job
#       that runs once every task has ended, whether it succeeded or not: it merges, or names
#       the shards that are missing or unfinished and fails. OUT defaults to
#       output/sweeps/<file stem>. If a submission fails, what was already submitted is
#       cancelled. Options:
#         --cpus C        cores per task (default 1); each task runs C runs at a time
#         --mem SIZE      memory per task, Slurm's units (default 2G; a run of the baseline at
#                         the default scale holds about 50 MB, at small scales far less)
#         --time T        time limit per task (default 02:00:00)
#         --partition P   --account A   passed to sbatch
#         --wait          wait for the merge and exit with its status (for scripts and CI)
#
#   sbatch --array=0-7 scenarios/sweeps/slurm_sweep.sh shard SWEEP.toml 8 OUT
#       the array alone (re-run failed tasks with e.g. --array=3,5).
#   scenarios/sweeps/slurm_sweep.sh merge SWEEP.toml 8 OUT
#       the merge alone, e.g. after re-running a failed task by hand.
#
# Logs: OUT/logs/<job>-<array job>_<task>.out, appended to by every attempt of a task (a
# requeued or preempted task resumes its shard and its log keeps the earlier attempts), each
# attempt headed by its number, host and time. Set REVSIM to the binary if `revsim` is not on
# the PATH (e.g. REVSIM=$PWD/target/release/revsim); run from the repository root, or pass
# --scenarios through REVSIM_ARGS.
#
#SBATCH --job-name=revsim-sweep
#SBATCH --requeue
#SBATCH --open-mode=append

set -euo pipefail

REVSIM=${REVSIM:-revsim}
REVSIM_ARGS=${REVSIM_ARGS:-}
# Inside a job Slurm runs a copy of this file: submit passes the original's path on.
self=${REVSIM_SLURM_SCRIPT:-$(realpath "$0")}
export REVSIM_SLURM_SCRIPT=$self

usage() {
    sed -n '2,30p' "$self" >&2
    exit 2
}

fail() {
    echo "slurm_sweep.sh: $*" >&2
    exit 2
}

# Header of one attempt of a job step in its log.
attempt() {
    echo "== revsim $1, attempt $((${SLURM_RESTART_COUNT:-0} + 1)), job ${SLURM_JOB_ID:-?}, host $(hostname), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
}

mode=${1:-}
[[ -n "$mode" ]] || usage
shift

cpus=1
mem=2G
time_limit=02:00:00
extra=()
wait=false
if [[ "$mode" == submit ]]; then
    while [[ $# -gt 0 && "$1" == --* ]]; do
        case "$1" in
            --cpus) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || fail "--cpus takes a positive integer, got '${2:-}'"; cpus=$2; shift 2 ;;
            --mem) [[ "${2:-}" =~ ^[1-9][0-9]*[KMGT]?$ ]] || fail "--mem takes a size such as 500M or 4G, got '${2:-}'"; mem=$2; shift 2 ;;
            --time) [[ -n "${2:-}" ]] || fail "--time takes a Slurm time, e.g. 02:00:00"; time_limit=$2; shift 2 ;;
            --partition | --account) [[ -n "${2:-}" ]] || fail "$1 takes a value"; extra+=("$1=$2"); shift 2 ;;
            --wait) wait=true; shift ;;
            *) fail "unknown option $1 (valid: --cpus, --mem, --time, --partition, --account, --wait)" ;;
        esac
    done
fi

sweep=${1:-}
shards=${2:-}
[[ -n "$sweep" && -n "$shards" ]] || usage
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "N must be a positive integer, got '$shards'"
out=${3:-output/sweeps/$(basename "$sweep" .toml)}

# Memory in MB of a Slurm size (plain numbers are MB).
megabytes() {
    local number=${1%[KMGT]} unit=${1##*[0-9]}
    case "$unit" in
        K) echo $(((number + 1023) / 1024)) ;;
        G) echo $((number * 1024)) ;;
        T) echo $((number * 1024 * 1024)) ;;
        *) echo "$number" ;;
    esac
}

case "$mode" in
    submit)
        command -v sbatch >/dev/null || fail "sbatch is not on the PATH: is this a Slurm login node?"
        # What the largest node offers: a request above it would pend forever.
        partition_args=()
        for item in "${extra[@]}"; do
            [[ "$item" == --partition=* ]] && partition_args+=("$item")
        done
        node_cpus=$(sinfo -h "${partition_args[@]}" -o '%c' | sort -n | tail -1 | tr -d '+ ')
        node_mem=$(sinfo -h "${partition_args[@]}" -o '%m' | sort -n | tail -1 | tr -d '+ ')
        [[ -n "$node_cpus" ]] || fail "sinfo lists no nodes${partition_args:+ in ${partition_args[*]}}"
        if ((cpus > node_cpus)); then
            fail "--cpus $cpus: the largest node has $node_cpus CPUs, so the tasks would pend forever; use --cpus $node_cpus or fewer"
        fi
        if [[ "$node_mem" =~ ^[0-9]+$ ]] && (($(megabytes "$mem") > node_mem)); then
            fail "--mem $mem: the largest node has ${node_mem} MB, so the tasks would pend forever; ask for less"
        fi
        # Check the sweep file before anything is queued (exit 2 on an invalid file).
        $REVSIM $REVSIM_ARGS sweep "$sweep" --dry-run --shard "0/$shards" >/dev/null
        mkdir -p "$out/logs"
        common=(--parsable --time="$time_limit" "${extra[@]}")
        array=$(sbatch "${common[@]}" --array="0-$((shards - 1))" --cpus-per-task="$cpus" \
            --mem="$mem" --output="$out/logs/%x-%A_%a.out" \
            "$self" shard "$sweep" "$shards" "$out") || fail "submitting the array failed; nothing was queued"
        array=${array%%;*}
        # afterany: the merge runs however the tasks end, and says which shards are missing.
        merge_args=("${common[@]}" --dependency="afterany:$array" --kill-on-invalid-dep=yes
            --job-name=revsim-merge --cpus-per-task=1 --mem="$mem" --no-requeue
            --output="$out/logs/%x-%j.out")
        if $wait; then
            echo "submitted array job $array (shards 0-$((shards - 1)) of $shards); waiting for the merge"
            status=0
            merge=$(sbatch "${merge_args[@]}" --wait "$self" merge "$sweep" "$shards" "$out") || status=$?
            if [[ -z "$merge" ]]; then
                scancel "$array" 2>/dev/null || true
                fail "submitting the merge failed; cancelled array job $array"
            fi
            if ((status != 0)); then
                echo "slurm_sweep.sh: the merge job ${merge%%;*} failed (exit $status); see $out/logs/" >&2
                exit 1
            fi
            echo "merged into $out"
        else
            if ! merge=$(sbatch "${merge_args[@]}" "$self" merge "$sweep" "$shards" "$out"); then
                scancel "$array" 2>/dev/null || true
                fail "submitting the merge failed; cancelled array job $array"
            fi
            echo "submitted array job $array (shards 0-$((shards - 1)) of $shards, $cpus CPUs and $mem each) and merge job ${merge%%;*}"
            echo "results: $out; logs: $out/logs/"
        fi
        ;;
    shard)
        : "${SLURM_ARRAY_TASK_ID:?run the shard mode as an array task: sbatch --array=0-$((shards - 1)) $0 shard ...}"
        i=$SLURM_ARRAY_TASK_ID
        attempt "shard $i/$shards"
        exec $REVSIM $REVSIM_ARGS sweep "$sweep" --shard "$i/$shards" \
            --threads "${SLURM_CPUS_PER_TASK:-1}" --out "$out/shard-$i-of-$shards" --resume --no-plots
        ;;
    merge)
        attempt "merge of $shards shards"
        dirs=()
        missing=()
        for ((i = 0; i < shards; i++)); do
            dir="$out/shard-$i-of-$shards"
            [[ -f "$dir/manifest.json" ]] || missing+=("$i")
            dirs+=("$dir")
        done
        if ((${#missing[@]} > 0)); then
            list=$(IFS=,; echo "${missing[*]}")
            echo "slurm_sweep.sh: shard(s) $list of $shards never started or wrote nothing (see $out/logs/); re-run them with: sbatch --array=$list $self shard $sweep $shards $out, then: $self merge $sweep $shards $out" >&2
            exit 1
        fi
        # revsim merge refuses an unfinished shard, naming it and the command that finishes it.
        exec $REVSIM $REVSIM_ARGS merge "${dirs[@]}" --out "$out"
        ;;
    *)
        usage
        ;;
esac

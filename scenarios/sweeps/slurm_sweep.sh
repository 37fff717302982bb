#!/usr/bin/env bash
# Runs a revsim sweep on a Slurm cluster as an array job, one shard per array task, then merges
# the shards into one folder identical to the sweep run on a single machine.
#
#   scenarios/sweeps/slurm_sweep.sh submit SWEEP.toml N [OUT]
#       submits the array (sbatch --array=0-(N-1)) and a merge job that starts when every
#       task has succeeded (--dependency=afterok). OUT defaults to output/sweeps/<file stem>.
#
#   sbatch --array=0-7 scenarios/sweeps/slurm_sweep.sh shard SWEEP.toml 8 OUT
#       the array alone; task i runs shard i/8 into OUT/shard-i-of-8 with --resume, so a
#       requeued or preempted task picks up where it stopped.
#   scenarios/sweeps/slurm_sweep.sh merge SWEEP.toml 8 OUT
#       the merge alone (revsim merge OUT/shard-*-of-8 --out OUT), e.g. after re-running a
#       failed task by hand.
#
# Each task runs its share of the runs on the cores Slurm gives it (--cpus-per-task); a run
# of the baseline at the default scale needs about 1 GB and 6 s on one core. Set REVSIM to
# the binary if `revsim` is not on the PATH (e.g. REVSIM=$PWD/target/release/revsim).
# Run from the repository root, or pass --scenarios through REVSIM_ARGS.
#
#SBATCH --job-name=revsim-sweep
#SBATCH --cpus-per-task=16
#SBATCH --mem-per-cpu=1G
#SBATCH --time=02:00:00
#SBATCH --requeue
#SBATCH --output=%x-%A_%a.out

set -euo pipefail

REVSIM=${REVSIM:-revsim}
REVSIM_ARGS=${REVSIM_ARGS:-}

usage() {
    sed -n '2,20p' "$0" >&2
    exit 2
}

mode=${1:-}
sweep=${2:-}
shards=${3:-}
[[ -n "$mode" && -n "$sweep" && -n "$shards" ]] || usage
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "N must be a positive integer, got '$shards'" >&2; exit 2; }
out=${4:-output/sweeps/$(basename "$sweep" .toml)}

case "$mode" in
    submit)
        # Check the sweep file before anything is queued (exit 2 on an invalid file).
        $REVSIM $REVSIM_ARGS sweep "$sweep" --dry-run --shard "0/$shards"
        array=$(sbatch --parsable --array="0-$((shards - 1))" "$0" shard "$sweep" "$shards" "$out")
        merge=$(sbatch --parsable --dependency="afterok:${array%%;*}" --job-name=revsim-merge \
            --cpus-per-task=1 --array=0 "$0" merge "$sweep" "$shards" "$out")
        echo "submitted array job $array (shards 0-$((shards - 1)) of $shards) and merge job $merge"
        echo "results: $out"
        ;;
    shard)
        : "${SLURM_ARRAY_TASK_ID:?run the shard mode as an array task: sbatch --array=0-$((shards - 1)) $0 shard ...}"
        i=$SLURM_ARRAY_TASK_ID
        exec $REVSIM $REVSIM_ARGS sweep "$sweep" --shard "$i/$shards" \
            --threads "${SLURM_CPUS_PER_TASK:-1}" --out "$out/shard-$i-of-$shards" --resume
        ;;
    merge)
        dirs=()
        for ((i = 0; i < shards; i++)); do
            dirs+=("$out/shard-$i-of-$shards")
        done
        exec $REVSIM $REVSIM_ARGS merge "${dirs[@]}" --out "$out"
        ;;
    *)
        usage
        ;;
esac

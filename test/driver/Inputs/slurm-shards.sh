#!/bin/bash
# slurm-shards.sh DIR KDLINT N: on a one-node Slurm started for the test, an
# array job of N shards (--shard=$SLURM_ARRAY_TASK_ID/N) filling a shared
# cache, the same array again once it is done (each shard then links and does
# the link's second pass for its slice), then one job that depends on it and
# links and reports (docs/usage.md's recipe). DIR holds compile_commands.json and src/; the
# link job writes DIR/slurm.out and DIR/slurm.err.
set -eu
dir=$1 kdlint=$2 n=$3
here=$(dirname "$0")
trap '"$here/slurm-cluster.sh" stop "$dir/cluster"' EXIT
SLURM_CONF=$("$here/slurm-cluster.sh" start "$dir/cluster")
export SLURM_CONF
shard="'$kdlint' -p '$dir' --cache-dir='$dir/cache' --shard=\$SLURM_ARRAY_TASK_ID/$n '$dir/src'"
round1=$(sbatch --parsable --array=1-"$n" -o "$dir/round1-%a.log" --wrap "$shard")
round2=$(sbatch --parsable --array=1-"$n" --dependency=afterok:"$round1" \
  -o "$dir/round2-%a.log" --wrap "$shard")
link=$(sbatch --parsable --dependency=afterok:"$round2" -o "$dir/slurm.out" -e "$dir/slurm.err" \
  --wrap "'$kdlint' -p '$dir' --cache-dir='$dir/cache' '$dir/src'")
for _ in $(seq 600); do
  if [ -z "$(squeue -h -j "$round1,$round2,$link" 2>/dev/null)" ]; then
    cat "$dir"/round1-*.log "$dir"/round2-*.log
    exit 0
  fi
  sleep 1
done
echo "jobs did not finish in 600 s" >&2
squeue >&2
exit 1

#!/bin/bash
# slurm-shards.sh DIR KDLINT N: on a one-node Slurm started for the test, an
# array job of N shards (--shard=$SLURM_ARRAY_TASK_ID/N) filling a shared
# cache, then one job that depends on the array and links and reports
# (docs/usage.md's recipe). DIR holds compile_commands.json and src/; the
# link job writes DIR/slurm.out and DIR/slurm.err.
set -eu
dir=$1 kdlint=$2 n=$3
here=$(dirname "$0")
trap '"$here/slurm-cluster.sh" stop "$dir/cluster"' EXIT
SLURM_CONF=$("$here/slurm-cluster.sh" start "$dir/cluster")
export SLURM_CONF
array=$(sbatch --parsable --array=1-"$n" -o "$dir/shard-%a.log" --wrap \
  "'$kdlint' -p '$dir' --cache-dir='$dir/cache' --shard=\$SLURM_ARRAY_TASK_ID/$n '$dir/src'")
link=$(sbatch --parsable --dependency=afterok:"$array" -o "$dir/slurm.out" -e "$dir/slurm.err" \
  --wrap "'$kdlint' -p '$dir' --cache-dir='$dir/cache' '$dir/src'")
for _ in $(seq 600); do
  if [ -z "$(squeue -h -j "$array,$link" 2>/dev/null)" ]; then
    cat "$dir"/shard-*.log
    exit 0
  fi
  sleep 1
done
echo "jobs did not finish in 600 s" >&2
squeue >&2
exit 1

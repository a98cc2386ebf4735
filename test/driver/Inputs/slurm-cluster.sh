#!/bin/bash
# A real one-node Slurm on loopback, for test/driver/slurm.test: munged,
# slurmctld and slurmd (Debian's munge and slurm-wlm), all state under DIR.
#   slurm-cluster.sh start DIR   prints the SLURM_CONF to export
#   slurm-cluster.sh stop DIR
set -eu
cmd=$1 dir=$(realpath -m "$2")
conf=$dir/slurm.conf
case $cmd in
start)
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
  # Ports from the directory's name: two suites (6.12 and 6.1) may run at once.
  base=$((20000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 20000))
  cat > "$conf" <<CONF
ClusterName=kdlint
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
SlurmctldPort=$base
SlurmdPort=$((base + 1))
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  key=/etc/munge/munge.key
  if [ ! -r "$key" ]; then
    key=$dir/munge.key
    dd if=/dev/urandom of="$key" bs=1 count=1024 2>/dev/null
    chmod 600 "$key"
  fi
  munged --force --socket="$dir/munge/munge.socket" --key-file="$key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge.seed"
  export SLURM_CONF=$conf
  slurmctld -c
  slurmd -N localhost
  for _ in $(seq 60); do
    if sinfo -h -o '%T' 2>/dev/null | grep -q idle; then
      echo "$conf"
      exit 0
    fi
    sleep 1
  done
  echo "slurm did not come up; logs:" >&2
  tail -n 20 "$dir"/*.log >&2
  exit 1
  ;;
stop)
  export SLURM_CONF=$conf
  scontrol shutdown >/dev/null 2>&1 || true
  for p in slurmd slurmctld munged; do
    [ -f "$dir/$p.pid" ] && kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
  done
  ;;
esac

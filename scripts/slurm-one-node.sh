#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for Crossdock's Slurm tests (and CI): a munge key,
# munged as the munge user, a slurm.conf naming this host as controller and as the one node, then
# slurmctld and slurmd. Idempotent: run it again and it only starts what is not running, and
# restarts the daemons when the configuration it writes changed. Needs root and Debian's
# slurm-wlm and munge packages. The recipe is the one in shared/notes/engines-here.md.
#
# Without slurmdbd there is no accounting (`sacct` says so): Crossdock reads job states from
# squeue and `scontrol show job`, which keep a finished job for MinJobAge seconds.
set -euo pipefail

conf=/etc/slurm/slurm.conf
host=$(hostname -s)
cpus=$(nproc)
# What slurmd itself sees, so that the node is not refused for claiming more memory than it has
# (a node whose RealMemory is above the real one is drained as "Low RealMemory"). A few percent
# below, since free memory shrinks a little between boots.
real_mb=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
real_mb=$(( ${real_mb:-1024} * 95 / 100 ))

log() { printf 'slurm-one-node: %s\n' "$*"; }

# ---- munge --------------------------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge
if [ ! -s /etc/munge/munge.key ]; then
  log "creating a munge key"
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge /var/lib/munge /var/log/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  log "starting munged"
  # In the foreground, in its own session, with its output in a log: daemonising, munged reopens
  # its stdio on /dev/null as the munge user, and some machines here have /dev/null mode 0644
  # ("Failed to open /dev/null: Permission denied").
  setsid runuser -u munge -- /usr/sbin/munged --force --foreground \
    >>/var/log/munge/munged.out 2>&1 </dev/null &
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.25; done
fi

# ---- slurm.conf ---------------------------------------------------------------------------
install -d -m 0755 /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
wanted=$(mktemp)
trap 'rm -f "$wanted"' EXIT
cat >"$wanted" <<CONF
# Written by Crossdock's scripts/slurm-one-node.sh: one node, this machine, for tests.
ClusterName=crossdock
SlurmctldHost=${host}
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
# Memory is a consumable, so a --mem above the node's is refused by sbatch with Slurm's own words.
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=5,sched_min_interval=100000
# A finished job stays visible to squeue and scontrol for an hour (there is no accounting).
MinJobAge=3600
# A job past its time limit is signalled at once and killed 5 s later (tests wait for "timeout").
OverTimeLimit=0
KillWait=5
InactiveLimit=0
# A request no node can satisfy (too many CPUs) is refused at submission, not left pending forever.
EnforcePartLimits=ALL
ReturnToService=2
SlurmdTimeout=60
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=${host} CPUs=${cpus} RealMemory=${real_mb} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF

changed=no
if ! cmp -s "$wanted" "$conf"; then
  log "writing $conf (node ${host}, ${cpus} CPUs, ${real_mb} MB)"
  install -m 0644 "$wanted" "$conf"
  changed=yes
fi

# A daemon runs when the pid in its pid file is alive and is that daemon (pids are reused).
pid_of() { local pid; pid=$(cat "/run/$1.pid" 2>/dev/null || true); [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && echo "$pid"; }
running() { [ -n "$(pid_of "$1")" ]; }

if [ "$changed" = yes ]; then
  for daemon in slurmd slurmctld; do
    pid=$(pid_of "$daemon" || true)
    if [ -n "$pid" ]; then
      log "restarting $daemon for the new configuration"
      kill "$pid" || true
      for _ in $(seq 1 40); do running "$daemon" || break; sleep 0.25; done
    fi
  done
fi

if ! running slurmctld; then
  log "starting slurmctld"
  /usr/sbin/slurmctld
fi
if ! running slurmd; then
  log "starting slurmd"
  /usr/sbin/slurmd
fi

# ---- ready? ---------------------------------------------------------------------------------
for _ in $(seq 1 60); do
  state=$(sinfo --noheader --nodes="$host" --format=%T 2>/dev/null | head -1 || true)
  case "$state" in
    idle*|mixed*|allocated*) log "node ${host}: ${state}"; exit 0 ;;
    down*|drain*|inval*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
log "the node did not become ready: $(sinfo 2>&1 | tail -n +2)"
exit 1

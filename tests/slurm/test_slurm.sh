#!/usr/bin/env bash
# Runs jobs/campaign.sbatch and jobs/reprocess.sbatch for real on a single-node Slurm this
# script starts (munged, slurmctld, slurmd with a slurm.conf in a temporary directory) and
# stops again. Exit 77 (CTest: skipped) only where Slurm cannot be installed or started.
# Usage: test_slurm.sh <hyperplume executable> <work dir>
set -uo pipefail
HP=$(realpath "$1")
W=$(realpath -m "$2")
SRC=$(cd "$(dirname "$0")/../.." && pwd)
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAILED: $*"; [ -d "$D/log" ] && tail -n 20 "$D"/log/*.log; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "starting Slurm daemons needs root"
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "installing slurm-wlm and munge"
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then  # keep postinst from starting services
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) >/dev/null 2>&1
  rc=$?
  [ $created_policy -eq 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || skip "slurm-wlm and munge cannot be installed here (apt-get failed)"
fi

rm -rf "$W"; mkdir -p "$W"
D=$W/slurm; H=$(hostname); N=$(nproc)
mkdir -p "$D/state" "$D/spool" "$D/log"
cat > "$D/slurm.conf" <<CONF
ClusterName=hyperplume-test
SlurmctldHost=$H
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
ReturnToService=2
NodeName=$H CPUs=$N RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$D/slurm.conf

started_munge=0
stop() {
  [ -f "$D/slurmd.pid" ] && kill "$(cat "$D/slurmd.pid")" 2>/dev/null
  [ -f "$D/slurmctld.pid" ] && kill "$(cat "$D/slurmctld.pid")" 2>/dev/null
  [ $started_munge -eq 1 ] && [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null
  sleep 0.5
}
trap stop EXIT

if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 600 /etc/munge/munge.key; }
  mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
  su -s /bin/sh munge -c /usr/sbin/munged || skip "munged does not start here"
  started_munge=1
fi
slurmctld -f "$D/slurm.conf" || skip "slurmctld does not start here"
slurmd -f "$D/slurm.conf" || skip "slurmd does not start here"
for _ in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %t | grep -q idle || fail "the node did not become idle"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$HP" synth --out "$W/l1" --rows 64 --cols 64 --facilities 2 --scenes-per-facility 2 --water-posting 5e-4 \
  --log-level warn >/dev/null || fail "synth"

# 1. The campaign job, then a resubmission that resumes (everything verified, nothing redone).
for pass in 1 2; do
  L1_ROOT=$W/l1 HYPERPLUME=$HP CONFIG=$W/l1/hyperplume_campaign.ini \
    sbatch --wait -n 2 -o "$W/campaign-$pass.out" "$SRC/jobs/campaign.sbatch" >/dev/null || { cat "$W/campaign-$pass.out"; fail "campaign job $pass"; }
done
grep -q "done: 4 (of which 0 verified" "$W/campaign-1.out" || { cat "$W/campaign-1.out"; fail "campaign report"; }
grep -q "done: 4 (of which 4 verified" "$W/campaign-2.out" || { cat "$W/campaign-2.out"; fail "resubmission did not resume"; }
grep -q "over 2 rank(s)" "$W/campaign-1.out" || fail "the job did not run 2 ranks"
[ "$(ls "$W"/l1/facility_0*/EMIT_L2B_001_*.nc | wc -l)" -eq 4 ] || fail "L2 files missing"

# 2. The reprocessing job: every scene again, lognormal, its own journal.
L1_ROOT=$W/l1 OUT=$W/reprocess HYPERPLUME=$HP CONFIG=$W/l1/hyperplume_campaign.ini EXTRA="--rad-dist lognormal" \
  sbatch --wait -n 2 -o "$W/reprocess.out" "$SRC/jobs/reprocess.sbatch" >/dev/null || { cat "$W/reprocess.out"; fail "reprocess job"; }
grep -q "done: 4 (of which 0 verified" "$W/reprocess/campaign_report.txt" || fail "reprocessing report"
echo "ok: campaign, resubmission and reprocessing jobs ran under Slurm with 2 ranks"

# 3. A job whose time limit is shorter than the campaign: Slurm signals it ahead of the limit
#    (--signal=B:USR1@55 on a 1-minute limit), the run stops cleanly (exit 75), the job requeues
#    itself, and the requeued runs resume until the campaign is done. slurmctld checks time
#    limits about every 30 s, so the campaign must outlast that: small scenes made 3 s slower.
"$HP" synth --out "$W/long" --rows 64 --cols 64 --facilities 14 --scenes-per-facility 2 --water-posting 5e-4 \
  --log-level warn >/dev/null || fail "synth (long campaign)"
id=$(L1_ROOT=$W/long HYPERPLUME=$HP CONFIG=$W/long/hyperplume_campaign.ini EXTRA="--log-level warn" \
  HYPERPLUME_FAULT_INJECT=sleep:3 sbatch --parsable -n 2 -t 1 --signal=B:USR1@55 -o "$W/long.out" "$SRC/jobs/campaign.sbatch") || fail "sbatch (long campaign)"
for _ in $(seq 900); do  # at most 15 minutes
  state=$(scontrol show job "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  case "$state" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
  # Slurm holds a requeued job for two minutes (BeginTime): release it after two seconds
  # pending. Not at once: slurmd refuses a start in the same second as the requeue revoked
  # the previous credential ("Job credential revoked"), and the job ends FAILED.
  if [ "$state" = PENDING ]; then
    pending=$((${pending:-0} + 1))
    [ "$pending" -ge 2 ] && scontrol update JobId="$id" StartTime=now >/dev/null 2>&1
  else
    pending=0
  fi
  sleep 1
done
restarts=$(scontrol show job "$id" | grep -o 'Restarts=[0-9]*' | cut -d= -f2)
[ "$state" = COMPLETED ] || { cat "$W/long.out"; fail "the time-limited job ended $state"; }
[ "${restarts:-0}" -ge 1 ] || { cat "$W/long.out"; fail "the time-limited job was never requeued"; }
grep -q "stopped (SIGUSR1): resubmit" "$W/long.out" || { cat "$W/long.out"; fail "no clean stop on the signal"; }
grep -q "^status: completed$" "$W/long/campaign_report.txt" || fail "the requeued job did not finish the campaign"
grep -q "poison: 0" "$W/long/campaign_report.txt" || fail "an interrupted scene was counted as a crash"
[ "$(ls "$W"/long/facility_*/EMIT_L2B_001_*.nc | wc -l)" -eq 28 ] || fail "L2 files missing after the requeues"
echo "ok: a time-limited job was signalled, stopped cleanly, requeued itself $restarts time(s) and finished the campaign"

#!/usr/bin/python3
"""hyperplume run against what clusters do to a campaign: changed settings and inputs, a torn
journal, a moved campaign, clean failures and fixed inputs, a second run on the same root, rank 0
unable to write, stop signals, a full disk. Every run has a time limit: a hang fails the test.
Usage: run_reliability.py <hyperplume> <mpiexec> <work dir>
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

exe, mpiexec, work = sys.argv[1:4]
exe = os.path.abspath(exe)
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
EX_TEMPFAIL = 75  # docs/commands.md: stopped by a signal, resubmit to continue


def synth(out, rows, cols, facilities, seed=1):
    subprocess.run([exe, "synth", "--out", out, "--rows", str(rows), "--cols", str(cols), "--facilities", str(facilities),
                    "--scenes-per-facility", "2", "--water-posting", "5e-4", "--seed", str(seed), "--log-level", "warn"],
                   check=True, stdout=subprocess.DEVNULL)


def command(root, n=2, extra=(), campaign=None, log="info"):
    return [mpiexec, "-np", str(n), "--oversubscribe", exe, "run", "--root", root, "--config-overlay",
            os.path.join(campaign or root, "hyperplume_campaign.ini"), "--log-level", log, "--threads", "1",
            # One pass: what a changed plume setting redoes is the point here (tests/cli/reprocess.py
            # covers two passes).
            "--passes", "1", *extra]


def run(root, n=2, extra=(), campaign=None, cwd=None):
    return subprocess.run(command(root, n, extra, campaign), env=env, capture_output=True, text=True, timeout=240, cwd=cwd)


def rads(root):
    return sorted(glob.glob(os.path.join(root, "*", "EMIT_L1B_RAD_*[0-9].nc")))


def journal(root):
    return [json.loads(line) for line in open(os.path.join(root, "hyperplume_journal.jsonl"))]


def no_partials(root):
    return not glob.glob(os.path.join(root, "**", ".*partial*"), recursive=True)


def rel(path, root):
    return os.path.relpath(path, root)


# 1. Resume redoes exactly what changed, and says why; --keep-existing keeps old products.
base = os.path.join(work, "base")
synth(base, 64, 64, 3)
r = run(base)
assert r.returncode == 0 and "done: 6 (of which 0 verified" in r.stdout, (r.stdout, r.stderr)
r = run(base)
assert "done: 6 (of which 6 verified" in r.stdout, r.stdout
l2s = sorted(glob.glob(os.path.join(base, "*", "EMIT_L2B_*[0-9].nc")))
l2_times = [os.stat(p).st_mtime_ns for p in l2s]
r = run(base, extra=("--dist-max", "120"))
assert r.stderr.count("L3/L4 again: the plume settings changed") == 6, r.stderr
assert [os.stat(p).st_mtime_ns for p in l2s] == l2_times, "L2 files were rewritten for a plume setting"
r = run(base, extra=("--dist-max", "120", "--species.ch4.window", "2120 2440"))
assert r.stderr.count("again: the retrieval settings changed") == 6 and "done: 6 (of which 0 verified" in r.stdout, r.stderr
r = run(base, extra=("--dist-max", "150", "--species.ch4.window", "2100 2440", "--keep-existing"))
assert "done: 6 (of which 6 verified" in r.stdout and "again" not in r.stderr, (r.stdout, r.stderr)
same = ("--dist-max", "120", "--species.ch4.window", "2120 2440")
os.utime(rads(base)[0])  # the L1 granule replaced by a fixed copy
r = run(base, extra=same)
assert f"again: input changed: {rel(rads(base)[0], base)}" in r.stderr and "done: 6 (of which 5 verified" in r.stdout, r.stderr
done = [e for e in journal(base) if e["event"] == "done"][-1]
absent = [item.rsplit("=", 1)[0] for item in done["ancillary_inputs"].split("|") if item.endswith("=absent")]
assert absent, done["ancillary_inputs"]  # a reanalysis file the scene looked for and did not find
os.makedirs(os.path.dirname(os.path.join(base, absent[0])), exist_ok=True)
present = [item.rsplit("=", 1)[0] for item in done["ancillary_inputs"].split("|") if not item.endswith("=absent")]
shutil.copy(os.path.join(base, present[-1]), os.path.join(base, absent[0]))  # the missing file restored
r = run(base, extra=same)
assert f"again: input changed: {absent[0]}" in r.stderr, r.stderr
marker = sorted(glob.glob(os.path.join(base, "*", "EMIT_L2B_*.geojson")))[1]
doc = json.load(open(marker))
doc["features"][0]["geometry"]["coordinates"][0] += 1e-4
json.dump(doc, open(marker, "w"))
r = run(base, extra=same)
assert r.stderr.count("L3/L4 again: its markers changed") == 1 and "done: 6 (of which 5 verified" in r.stdout, r.stderr
print("ok: a resume redoes exactly what changed (plume settings, retrieval settings, an L1, a restored reanalysis file, markers)")

# 2. A torn last journal line is cut off, not glued onto.
with open(os.path.join(base, "hyperplume_journal.jsonl"), "a") as f:
    f.write('{"event": "done", "scene": "facility_0')
r = run(base, extra=same)
assert r.returncode == 0 and "last line was incomplete" in r.stderr, r.stderr
journal(base)  # every line parses
print("ok: a torn journal line is repaired")

# 3. A campaign moved elsewhere and resumed from another directory, with a relative root.
moved = os.path.join(work, "moved", "campaign")
os.makedirs(os.path.dirname(moved))
shutil.move(base, moved)
r = run(os.path.join("moved", "campaign"), extra=same, campaign=moved, cwd=work)
assert r.returncode == 0 and "done: 6 (of which 6 verified" in r.stdout, (r.stdout, r.stderr)
assert all(not os.path.isabs(e["scene"]) and not os.path.isabs(e.get("output", "x")) for e in journal(moved))
base = moved
print("ok: a moved campaign resumes from anywhere (journal paths relative to the root)")
os.symlink("loop", os.path.join(base, "loop"))  # a link to itself
os.symlink(base, os.path.join(base, "facility_01", "up"))  # a link back up the tree
open(os.path.join(base, "facility_01", "EMIT_L1B_RAD_001_copy.nc.bak"), "w").close()
r = run(base, extra=same)
report = open(os.path.join(base, "campaign_report.txt")).read()
assert r.returncode == 0 and "done: 6 (of which 6 verified" in r.stdout, (r.stdout, r.stderr)
assert "skipped in the tree walk: 3" in report and "loop" in report, report
print("ok: link loops and look-alike names are skipped with a warning and a line in the report")

# 4. Clean failures keep their reason and stop being retried after --max-attempts; a fixed
#    input is retried. Zero valid pixels is a failure with that reason.
bad = os.path.join(work, "bad")
synth(bad, 64, 64, 2, seed=3)
victim = rads(bad)[0]
good_copy = os.path.join(work, "victim_good.nc")
shutil.copy2(victim, good_copy)
with open(victim, "r+b") as f:
    f.truncate(os.path.getsize(victim) // 2)
for attempt in (1, 2, 3):
    r = run(bad, extra=("--max-attempts", "2"))
    assert r.returncode == 1, (r.stdout, r.stderr)
    quarantine = open(os.path.join(bad, "quarantine.csv")).read()
    assert "truncated" in quarantine and ",failed,%d," % min(attempt, 2) in quarantine and "poison" not in quarantine, quarantine
    assert rel(victim, bad) + ": failed: " in r.stderr, r.stderr  # each failed scene's reason on the console
starts = [e for e in journal(bad) if e["event"] == "started" and e["scene"] == rel(victim, bad)]
assert len(starts) == 2 and [e["attempt"] for e in starts] == ["1", "2"], starts
assert "not retried until its input or settings change" in quarantine, quarantine
shutil.copy(good_copy, victim)  # fixed
r = run(bad, extra=("--max-attempts", "2"))
assert r.returncode == 0 and "done: 4 (of which 3 verified" in r.stdout, (r.stdout, r.stderr)
print("ok: a clean failure keeps its reason, is retried max-attempts times, and a fixed input is retried")

# 5. A second run on a root in use is refused, naming the holder; a dead run's lock is taken over.
slow = os.path.join(work, "slow")
synth(slow, 320, 256, 4, seed=5)
first = subprocess.Popen(command(slow, log="warn"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
deadline = time.time() + 60
while not os.path.exists(os.path.join(slow, "hyperplume.lock")) and time.time() < deadline:
    time.sleep(0.05)
second = run(slow, n=1, extra=("--out", os.path.join(work, "elsewhere")))
assert second.returncode == 1 and "another run is using this campaign" in second.stderr and "PID" in second.stderr, second.stderr
out, err = first.communicate(timeout=240)
assert first.returncode == 0, (out, err)
assert not os.path.exists(os.path.join(slow, "hyperplume.lock")) and not os.path.exists(os.path.join(work, "elsewhere", "hyperplume.lock"))
dead = subprocess.Popen(["true"])
dead.wait()
with open(os.path.join(slow, "hyperplume.lock"), "w") as f:
    f.write(f"host={os.uname().nodename}\npid={dead.pid}\nstarted=2026-01-01T00:00:00Z\njob=\n")
r = run(slow)
assert r.returncode == 0 and "taking over the lock of a dead run" in r.stderr, r.stderr
print("ok: a second run is refused naming the holder; a stale lock is taken over")

# 6. Rank 0 cannot write its journal: every rank ends, at once, with one clear message.
for out_dir, expect in ((os.path.join(slow, "truth_sources.csv"), "is not a directory"),
                        (os.path.join(work, "journal_dir"), "journal is not a regular file")):
    os.makedirs(os.path.join(work, "journal_dir", "hyperplume_journal.jsonl"), exist_ok=True)
    t0 = time.time()
    r = run(slow, extra=("--out", out_dir))
    assert r.returncode == 1 and expect in r.stderr and time.time() - t0 < 30, (r.returncode, r.stderr)
print("ok: a journal rank 0 cannot write ends the job with its reason, no hang")

# 7. Stop signals: no further scene, running scenes finish (or are abandoned after the grace
#    period), exit 75, the report written, no attempt counted; the resumed run completes.
reference = open(os.path.join(slow, "campaign_summary.csv")).read()
sig_root = os.path.join(work, "signalled")
shutil.copytree(slow, sig_root, copy_function=os.link, ignore=shutil.ignore_patterns("EMIT_L2B_*.nc", "EMIT_L3B_*", "hyperplume_*", "campaign_*", "quarantine.csv", "plume_failures.csv"))
shutil.copy(os.path.join(slow, "hyperplume_campaign.ini"), sig_root)


def signalled_run(how, extra=()):
    p = subprocess.Popen(command(sig_root, log="warn", extra=("--max-attempts", "2", *extra)), env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    path = os.path.join(sig_root, "hyperplume_journal.jsonl")
    started_before = open(path).read().count('"event": "started"') if os.path.exists(path) else 0
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None:  # until this run has started a scene
        if os.path.exists(path) and open(path).read().count('"event": "started"') > started_before:
            break
        time.sleep(0.02)
    time.sleep(0.3)
    if how == "usr1-mpirun":
        p.send_signal(signal.SIGUSR1)  # mpirun forwards SIGUSR1 to every rank
    else:  # SIGTERM to the ranks, as srun and Slurm deliver it
        ranks = subprocess.run(["pgrep", "-P", str(p.pid)], capture_output=True, text=True).stdout.split()
        for pid in ranks:
            os.kill(int(pid), signal.SIGTERM)
    out, err = p.communicate(timeout=180)
    return p.returncode, out, err


stopped = 0
for how, extra in (("term-ranks", ()), ("usr1-mpirun", ()), ("term-ranks", ("--grace-period", "0"))):
    code, out, err = signalled_run(how, extra)
    if code == 0:  # the campaign ended before the signal
        break
    stopped += 1
    assert code == EX_TEMPFAIL and "stopped (SIG" in out and "resubmit" in out, (how, code, out, err)
    assert "stopped (SIG" in open(os.path.join(sig_root, "campaign_report.txt")).read()
    assert no_partials(sig_root)
assert stopped >= 2, stopped
assert "poison" not in open(os.path.join(sig_root, "campaign_summary.csv")).read()
r = run(sig_root, extra=("--max-attempts", "2"))
assert r.returncode == 0, (r.stdout, r.stderr)
assert open(os.path.join(sig_root, "campaign_summary.csv")).read() == reference
print(f"ok: {stopped} stop signals ended runs with exit 75 and no attempt counted; the resumed run equals a clean one")

# 8. A full disk (a small tmpfs; skipped where mounting is not allowed): products that do not
#    fit fail with "no space left on device" and the free space; a journal that cannot grow
#    stops the run cleanly; nothing partial is visible.
mnt = os.path.join(work, "full")
os.makedirs(mnt)
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mnt], capture_output=True).returncode == 0:
    try:
        synth(os.path.join(mnt, "c"), 64, 64, 3, seed=7)
        free = shutil.disk_usage(mnt).free
        with open(os.path.join(mnt, "filler"), "wb") as f:
            f.write(b"\0" * (free - 3 * 1024 * 1024))  # room for one L2 and its L3s, not six
        outside = os.path.join(work, "full_out")
        r = run(os.path.join(mnt, "c"), extra=("--out", outside), campaign=os.path.join(mnt, "c"))
        quarantine = open(os.path.join(outside, "quarantine.csv")).read()
        assert r.returncode == 1 and "no space left on device" in quarantine and "MiB" in quarantine, (r.stdout, r.stderr, quarantine)
        assert "Segmentation" not in r.stderr and "completed with failures" in r.stdout, r.stderr
        assert no_partials(mnt)
        os.remove(os.path.join(mnt, "filler"))
        with open(os.path.join(mnt, "filler"), "wb") as f:  # now the journal's disk is the full one
            f.write(b"\0" * (shutil.disk_usage(mnt).free - 8 * 1024))
        r = run(os.path.join(work, "bad"), extra=("--out", os.path.join(mnt, "j"), "--resume", "false"), campaign=os.path.join(work, "bad"))
        # the journal or the status file, whichever needs the disk first
        assert r.returncode == 1 and "stopped (" in r.stdout and "no space left on device" in r.stderr, (r.stdout, r.stderr)
        assert "Segmentation" not in r.stderr
        os.remove(os.path.join(mnt, "filler"))
        r = run(os.path.join(work, "bad"), extra=("--out", os.path.join(mnt, "j")), campaign=os.path.join(work, "bad"))
        assert r.returncode == 0, (r.stdout, r.stderr)
        journal(os.path.join(mnt, "j"))
        print("ok: a full disk fails the products that do not fit with the free space, and stops cleanly on the journal")
    finally:
        subprocess.run(["umount", "-l", mnt])
else:
    print("skipped: a full disk (cannot mount a tmpfs here)")
shutil.rmtree(work)  # kept only when an assertion failed, to look at

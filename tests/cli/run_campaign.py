#!/usr/bin/python3
"""hyperplume run under mpiexec: results identical for 1, 2 and 3 ranks; corrupt scenes
quarantined while good ones finish; resume skips verified scenes and redoes missing ones.
Usage: run_campaign.py <hyperplume> <mpiexec> <work dir>
"""
import csv
import filecmp
import glob
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import xarray as xr

exe, mpiexec, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
base = os.path.join(work, "base")
subprocess.run([exe, "synth", "--out", base, "--rows", "96", "--cols", "80", "--facilities", "3", "--scenes-per-facility", "2",
                "--plume-free", "1", "--water-posting", "5e-4", "--log-level", "warn"], check=True, stdout=subprocess.DEVNULL)


def linked_copy(src, dst):
    """A campaign copy whose L1 files are hard links: runs only read them (corrupt() needs real copies)."""
    shutil.copytree(src, dst, copy_function=os.link)


def run(root, n, extra=(), campaign=None):
    cmd = [mpiexec, "-np", str(n), "--oversubscribe", exe, "run", "--root", root, "--config-overlay",
           os.path.join(campaign or base, "hyperplume_campaign.ini"), "--log-level", "warn", "--threads", "1", *extra]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def corrupt(root):
    """Truncates the first RAD file and removes the second scene's OBS file."""
    rads = sorted(glob.glob(os.path.join(root, "*", "EMIT_L1B_RAD_*[0-9].nc")))
    with open(rads[0], "r+b") as f:
        f.truncate(os.path.getsize(rads[0]) // 2)
    os.remove(rads[1].replace("_RAD_", "_OBS_"))
    return rads


def l2_files(root):
    return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "*", "EMIT_L2B_*.nc")))


def comparable(path):
    ds = xr.open_dataset(path)
    # Stage timers are wall-clock measurements: the only attributes that may differ.
    ds.attrs = {k: v for k, v in ds.attrs.items() if not k.startswith("stage_")}
    return ds


# 1. The same campaign on 1, 2 and 3 ranks, and with scene groups of 2 ranks (2 ranks: one
#    group; 3 ranks: a group of two and a group of one), which write their L2 files
#    collectively; and as CDF-5 through PnetCDF, serially and by a group.
roots = {}
for n, k, fmt in ((1, 1, "netcdf4"), (2, 1, "netcdf4"), (3, 1, "netcdf4"), (2, 2, "netcdf4"), (3, 2, "netcdf4"),
                  (1, 1, "cdf5"), (2, 2, "cdf5")):
    key = n if k == 1 and fmt == "netcdf4" else f"{n}k{k}" + ("" if fmt == "netcdf4" else fmt)
    root = os.path.join(work, f"np{key}")
    linked_copy(base, root)
    r = run(root, n, ("--ranks-per-scene", str(k), "--format", fmt))
    assert r.returncode == 0, (n, k, r.stdout, r.stderr)
    roots[key] = root
magic = {"netcdf4": b"\x89HDF", "cdf5": b"CDF\x05"}
for key, fmt in ((1, "netcdf4"), ("2k2", "netcdf4"), ("1k1cdf5", "cdf5"), ("2k2cdf5", "cdf5")):
    for rel in l2_files(roots[key]):
        with open(os.path.join(roots[key], rel), "rb") as fh:
            assert fh.read(4) == magic[fmt], (key, rel)
for n in (2, 3, "2k2", "3k2", "1k1cdf5", "2k2cdf5"):
    for name in ("campaign_summary.csv", "quarantine.csv"):
        assert filecmp.cmp(os.path.join(roots[1], name), os.path.join(roots[n], name), shallow=False), (n, name)
    assert l2_files(roots[1]) == l2_files(roots[n]) and len(l2_files(roots[1])) == 6
    for rel in l2_files(roots[1]):
        a, b = comparable(os.path.join(roots[1], rel)), comparable(os.path.join(roots[n], rel))
        for v in a.data_vars:
            assert np.array_equal(a[v].values, b[v].values, equal_nan=True), (n, rel, v)
            assert repr(sorted(a[v].attrs.items())) == repr(sorted(b[v].attrs.items())), (n, rel, v)
        a.attrs.pop("filename"), b.attrs.pop("filename"), a.attrs.pop("input_files"), b.attrs.pop("input_files")
        assert repr(sorted(a.attrs.items())) == repr(sorted(b.attrs.items())), (n, rel)
for n in (2, 3, "2k2", "3k2", "1k1cdf5", "2k2cdf5"):  # L3/L4 read CDF-5 L2 files as well
    assert filecmp.cmp(os.path.join(roots[1], "hyperplume_l4.csv"), os.path.join(roots[n], "hyperplume_l4.csv"), shallow=False), n
print("ok: 1, 2 and 3 ranks, scene groups of 2 writing collectively, and CDF-5 give identical summaries and L2 variables")
for key in (3, "2k2", "3k2", "1k1cdf5", "2k2cdf5"):
    shutil.rmtree(roots.pop(key))

# 2. Corrupt scenes among good ones: good ones done, bad ones quarantined with reasons.
bad = os.path.join(work, "bad")
shutil.copytree(base, bad)
rads = corrupt(bad)
# ... and a marker file of a good scene with a LineString after its point: a failed plume,
# recorded without failing the scene.
good = [g for g in sorted(glob.glob(os.path.join(bad, "*", "EMIT_L2B_*.geojson")))
        if os.path.basename(g).replace("L2B", "L1B_RAD").replace(".geojson", ".nc") not in map(os.path.basename, rads[:2])]
doc = json.load(open(good[0]))
bad_plume = len(doc["features"])
doc["features"].append({"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}})
json.dump(doc, open(good[0], "w"))
r = run(bad, 2)
assert r.returncode == 1 and "completed with failures" in r.stdout, (r.returncode, r.stdout, r.stderr)
quarantine = open(os.path.join(bad, "quarantine.csv")).read()
assert os.path.basename(rads[0]) in quarantine and "truncated" in quarantine, quarantine
assert os.path.basename(rads[1]) in quarantine and "does not exist" in quarantine, quarantine
assert len(l2_files(bad)) == 4
assert not glob.glob(os.path.join(bad, "**", ".*partial*"), recursive=True)
failures = list(csv.reader(open(os.path.join(bad, "plume_failures.csv"))))  # one row per plume
assert failures[0] == ["scene", "plume", "reason"] and all(len(f) == 3 for f in failures), failures
scene_of_good = os.path.relpath(good[0], bad).replace("L2B", "L1B_RAD").replace(".geojson", ".nc")
assert [scene_of_good, f"plume{bad_plume}"] in [f[:2] for f in failures], failures
assert any("LineString" in f[2] for f in failures if f[1] == f"plume{bad_plume}"), failures
assert f"plume failures: {len(failures) - 1}\n" in open(os.path.join(bad, "campaign_report.txt")).read()
print("ok: corrupt scenes quarantined, the others done, a bad marker recorded as a failed plume")

# The same in scene groups: a rank whose slab cannot be read makes its whole group fail the
# scene (no deadlock), with the same reasons.
bad_k2 = os.path.join(work, "bad_k2")
shutil.copytree(base, bad_k2)
corrupt(bad_k2)
r = run(bad_k2, 2, ("--ranks-per-scene", "2"))
assert r.returncode == 1 and "completed with failures" in r.stdout, (r.returncode, r.stdout, r.stderr)
assert len(l2_files(bad_k2)) == 4
assert open(os.path.join(bad_k2, "campaign_summary.csv")).read() == open(os.path.join(bad, "campaign_summary.csv")).read()
print("ok: scene groups quarantine the same corrupt scenes")

# 3. Resume: a rerun verifies and skips everything; a lost output is redone, nothing else.
r = run(roots[2], 2)
assert r.returncode == 0 and "6 verified" in r.stdout, r.stdout
os.remove(os.path.join(roots[2], l2_files(roots[2])[0]))
r = run(roots[2], 2)
assert r.returncode == 0 and "5 verified" in r.stdout, r.stdout
assert filecmp.cmp(os.path.join(roots[1], "campaign_summary.csv"), os.path.join(roots[2], "campaign_summary.csv"), shallow=False)
print("ok: resume skips verified scenes and redoes a lost one")

# 4. Kill the job mid-run (SIGKILL to mpiexec), rerun: the result equals an uninterrupted run,
#    and no temporary or partial file is left.
import signal
import time
slow = os.path.join(work, "slow")  # larger scenes, so the kill lands mid-run
subprocess.run([exe, "synth", "--out", slow, "--rows", "320", "--cols", "256", "--facilities", "4",
                "--scenes-per-facility", "2", "--water-posting", "5e-4", "--seed", "5", "--log-level", "warn"],
               check=True, stdout=subprocess.DEVNULL)
reference = os.path.join(work, "slow_reference")
linked_copy(slow, reference)
assert run(reference, 2, campaign=slow).returncode == 0
# The merged L4 table of a campaign with plumes: the same bytes from 1 and 3 ranks.
for n in (1, 3):
    again = os.path.join(work, f"slow_np{n}")
    linked_copy(slow, again)
    assert run(again, n, campaign=slow).returncode == 0
    assert filecmp.cmp(os.path.join(reference, "hyperplume_l4.csv"), os.path.join(again, "hyperplume_l4.csv"), shallow=False), n
    shutil.rmtree(again)
rows = open(os.path.join(reference, "hyperplume_l4.csv")).read().splitlines()
assert len(rows) >= 1 + 6 and rows[0].startswith("plume_id,") and rows[0].endswith(",l2_file"), rows
print(f"ok: the merged L4 table ({len(rows) - 1} plumes) is identical from 1, 2 and 3 ranks")
killed = os.path.join(work, "killed")
linked_copy(slow, killed)
cmd = [mpiexec, "-np", "2", "--oversubscribe", exe, "run", "--root", killed, "--config-overlay",
       os.path.join(slow, "hyperplume_campaign.ini"), "--log-level", "warn", "--threads", "1"]
p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
journal = os.path.join(killed, "hyperplume_journal.jsonl")
deadline = time.time() + 120
while time.time() < deadline:
    if os.path.exists(journal) and '"event": "done"' in open(journal).read():
        break
    time.sleep(0.01)
p.send_signal(signal.SIGKILL)
p.wait()
time.sleep(0.5)  # orphaned ranks see their launcher gone and exit
subprocess.run(["pkill", "-9", "-f", killed], check=False)
for _ in range(100):  # until the killed ranks are gone (their lock is then stale)
    if subprocess.run(["pgrep", "-f", killed], capture_output=True).returncode != 0:
        break
    time.sleep(0.1)
done_before = open(journal).read().count('"event": "done"')
assert 1 <= done_before < 8, done_before
r = run(killed, 2, campaign=slow)
assert r.returncode == 0 and f"{done_before} verified" in r.stdout, (done_before, r.stdout, r.stderr)
assert filecmp.cmp(os.path.join(reference, "campaign_summary.csv"), os.path.join(killed, "campaign_summary.csv"), shallow=False)
assert not glob.glob(os.path.join(killed, "**", ".*partial*"), recursive=True)
print(f"ok: killed after {done_before} scene(s); the rerun processed only the rest and matches an uninterrupted run")

# 5. A scene that crashes its process every time ends up quarantined as poison.
crash = os.path.join(work, "crash")
linked_copy(base, crash)
victim = os.path.basename(sorted(glob.glob(os.path.join(crash, "*", "EMIT_L1B_RAD_*[0-9].nc")))[2])
crash_env = dict(env, HYPERPLUME_FAULT_INJECT="abort:" + victim)
codes = []
for attempt in range(6):
    # One rank: with two, the scene in flight beside the victim dies with the job too, and the
    # journal cannot tell which of the two crashed it (both count; see the closing note).
    r = subprocess.run([mpiexec, "-np", "1", "--oversubscribe", exe, "run", "--root", crash, "--config-overlay",
                        os.path.join(base, "hyperplume_campaign.ini"), "--log-level", "warn", "--threads", "1",
                        "--max-attempts", "2"], env=crash_env, capture_output=True, text=True)
    codes.append(r.returncode)
    if r.returncode in (0, 1) and "status:" in r.stdout:
        break
assert r.returncode == 1 and "poison: 1" in r.stdout, (codes, r.stdout, r.stderr)
quarantine = open(os.path.join(crash, "quarantine.csv")).read()
assert victim in quarantine and "poison" in quarantine, quarantine
assert len(l2_files(crash)) == 5
print(f"ok: a scene that always crashes is quarantined as poison after runs ending {codes}")
shutil.rmtree(work)  # kept only when an assertion failed, to look at

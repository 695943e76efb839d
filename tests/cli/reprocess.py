#!/usr/bin/python3
"""The second pass (plume pixels out of the background statistics), every way it can be run:
`run` (two passes in the worker), `run --passes 1` then `run --reprocess`, a resumed run that
only lacks its second pass, and `reprocess-l2` + `reprocess-l3` by hand all give the same L2
and L4 numbers, bit for bit; then bad input, each failure named and the rest going on.
Usage: reprocess.py <hyperplume> <mpiexec> <work dir>
"""
import csv
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
subprocess.run([exe, "synth", "--out", base, "--seed", "11", "--rows", "384", "--cols", "128", "--facilities", "3",
                "--scenes-per-facility", "1", "--emission-min", "3000", "--emission-max", "9000", "--log-level", "warn"],
               check=True, stdout=subprocess.DEVNULL)
overlay = ["--config-overlay", os.path.join(base, "hyperplume_campaign.ini")]


def copy(name):
    dst = os.path.join(work, name)
    shutil.copytree(base, dst, copy_function=os.link)  # runs never write the L1 files
    return dst


def hp(*args, n=None, ok=True, log="warn"):
    cmd = ([mpiexec, "-np", str(n), "--oversubscribe"] if n else []) + [exe, *args, *overlay, "--log-level", log]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert r.returncode == 0, (cmd, r.stdout[-3000:], r.stderr[-3000:])
    return r


def l2s(root):
    return sorted(glob.glob(os.path.join(root, "*", "EMIT_L2B_*.nc")))


def fields(path):
    with xr.open_dataset(path) as ds:
        return {v: ds[v].values.copy() for v in ("ch4", "ch4_uncertainty", "ch4_comb", "ch4_denoise", "ch4_comb_denoise", "ch4_mask")}, dict(ds.attrs)


def same_l2(a, b):
    for pa, pb in zip(l2s(a), l2s(b), strict=True):
        fa, attrs = fields(pa)
        fb, _ = fields(pb)
        for v in fa:
            assert np.array_equal(fa[v], fb[v], equal_nan=True), (pa, v)
    return attrs


def l4(root):
    rows = list(csv.DictReader(open(os.path.join(root, "hyperplume_l4.csv"))))
    return {r["plume_id"]: r for r in rows}


def same_l4(a, b, columns=("emission", "emission_uncertainty", "emission_csf", "plume_latitude", "ime")):
    ra, rb = l4(a), l4(b)
    assert ra.keys() == rb.keys() and len(ra) == 3, (ra.keys(), rb.keys())
    for k in ra:
        for c in columns:
            assert ra[k][c] == rb[k][c], (k, c, ra[k][c], rb[k][c])


# 1. Two passes in the worker (the default) against one pass, then --reprocess.
two = copy("two")
hp("run", "--root", two, n=2)
attrs = None
for p in l2s(two):
    with xr.open_dataset(p) as ds:
        assert int(ds.attrs["processing_pass"]) == 2, p
        assert "_plume0.nc:" in ds.attrs["plume_exclusion_files"], ds.attrs["plume_exclusion_files"]
        assert int(ds.attrs["plume_exclusion_pixels"]) > 10
        # The targets the filters used, per window (emit-ghg publishes them too).
        assert ds["ch4_unit_absorption"].dims == ("ch4_band",) and ds["ch4_unit_absorption"].attrs["units"] == "ppb-1"
        assert float(ds["ch4_unit_absorption"].min()) < 0 and 2110 <= float(ds["ch4_wavelength"].min()) < 2150
        assert "ch4_full_unit_absorption" in ds
journal = [json.loads(line) for line in open(os.path.join(two, "hyperplume_journal.jsonl"))]
done = [e for e in journal if e["event"] == "done"]
assert len(done) == 3 and all(e["passes"] == "2" and e["l2_pass"] == "2" for e in done), done

split = copy("split")
hp("run", "--root", split, "--passes", "1", n=2)
first_pass = l4(split)
for p in l2s(split):
    with xr.open_dataset(p) as ds:
        assert int(ds.attrs["processing_pass"]) == 1 and "plume_exclusion_files" not in ds.attrs
r = hp("run", "--root", split, "--reprocess", n=2)
same_l2(two, split)
same_l4(two, split)
gain = [float(l4(split)[k]["emission"]) / float(first_pass[k]["emission"]) for k in first_pass]
print("ok: run (two passes) == run --passes 1 + run --reprocess; IME pass 2 / pass 1:", " ".join(f"{g:.2f}" for g in gain))
assert all(g > 1.0 for g in gain), gain  # plume pixels out of their own background: more signal
# Nothing more to reprocess.
r = hp("run", "--root", split, "--reprocess", log="info", n=2)
assert "0 to process" in r.stdout + r.stderr, r.stdout + r.stderr

# 2. A resumed run whose scenes lack only their second pass does only that.
resumed = copy("resumed")
hp("run", "--root", resumed, "--passes", "1", n=2)
r = hp("run", "--root", resumed, log="info", n=2)
assert (r.stdout + r.stderr).count("later pass: its second pass is missing") == 3, r.stdout + r.stderr
same_l2(two, resumed)
same_l4(two, resumed)
print("ok: a resumed run makes only the missing second pass")

# 3. By hand, as HyperGas's scripts: l2 + l3, reprocess-l2, reprocess-l3.
manual = copy("manual")
hp("l2", "--root", manual)
hp("l3", "--root", manual)
r = hp("reprocess-l2", "--root", manual)
assert "3 done, 0 kept, 0 failed" in r.stdout, r.stdout
# The L2 products are already without exactly these L3 files: kept.
assert "0 done, 3 kept, 0 failed" in hp("reprocess-l2", "--root", manual, "--skip-exist").stdout
r = hp("reprocess-l3", "--root", manual)
assert "3 plume(s) done, 0 failed" in r.stdout, r.stdout
same_l2(two, manual)
same_l4(two, manual)
# reprocess-nc false keeps the L3 files and estimates on their pixels (those with a value:
# the winds are averaged over them, so to a few parts in 1e6 the same numbers here).
l3 = sorted(glob.glob(os.path.join(manual, "*", "EMIT_L3B_*_plume0.nc")))
stamps = [os.stat(p).st_mtime_ns for p in l3]
hp("reprocess-l3", "--root", manual, "--reprocess-nc", "false")
assert stamps == [os.stat(p).st_mtime_ns for p in l3]
for k, row in l4(manual).items():
    for c in ("emission", "emission_csf"):
        assert abs(float(row[c]) / float(l4(two)[k][c]) - 1) < 1e-5, (k, c, row[c], l4(two)[k][c])
# A manual wind speed is recorded in the CSV and kept by a later reprocessing.
hp("reprocess-l3", "--root", manual, "--wspd-manual", "3")
hp("reprocess-l3", "--root", manual)
assert all(r["wind_speed_manual"] == "3" and r["wind_speed"] == "3" for r in l4(manual).values()), l4(manual)
print("ok: reprocess-l2 + reprocess-l3 == run; --reprocess-nc false keeps the L3 files; a manual wind speed is kept")

# 4. Bad input: an L3 of another scene, an L1 that moved, a malformed setting in a CSV.
bad = copy("bad")
hp("run", "--root", bad, "--passes", "1", n=2)
scenes = l2s(bad)
l3a = sorted(glob.glob(os.path.join(os.path.dirname(scenes[0]), "EMIT_L3B_*_plume0.nc")))[0]
intruder = l3a.replace("_plume0.nc", "_plume7.nc")
shutil.copy(sorted(glob.glob(os.path.join(os.path.dirname(scenes[1]), "EMIT_L3B_*_plume0.nc")))[0], intruder)
rad = glob.glob(os.path.join(os.path.dirname(scenes[1]), "EMIT_L1B_RAD_*[0-9].nc"))[0]
os.rename(rad, rad + ".moved")
before = [open(p, "rb").read() for p in scenes]
r = hp("reprocess-l2", "--root", bad, ok=False)
assert r.returncode == 1, (r.stdout, r.stderr)
assert "1 done, 0 kept, 2 failed" in r.stdout, r.stdout
assert os.path.basename(intruder) in r.stderr and ("another grid" in r.stderr or "not made from" in r.stderr), r.stderr
assert "not there any more" in r.stderr and os.path.basename(rad) in r.stderr, r.stderr
assert open(scenes[0], "rb").read() == before[0] and open(scenes[1], "rb").read() == before[1]
assert open(scenes[2], "rb").read() != before[2]
os.remove(intruder)
os.rename(rad + ".moved", rad)
csv_path = l3a.replace(".nc", ".csv")
text = open(csv_path).read().splitlines()
header = text[0].split(",")
cells = next(csv.reader([text[1]]))
cells[header.index("azimuth_diff_max")] = "thirty"
with open(csv_path, "w", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows([header, cells])
r = hp("reprocess-l3", "--root", bad, ok=False)
assert r.returncode == 1 and "2 plume(s) done" in r.stdout and "1 scene(s) failed" in r.stdout, r.stdout
assert os.path.basename(csv_path) in r.stderr and "azimuth_diff_max" in r.stderr, r.stderr
assert len(l4(bad)) == 2  # the merged table holds the plumes made again
assert not glob.glob(os.path.join(bad, "**", "*.partial*"), recursive=True)
print("ok: an L3 of another scene, a moved L1 and a malformed CSV setting are named; the other scenes go on; "
      "the L2 products of the failed scenes are untouched")
shutil.rmtree(work)

#!/usr/bin/python3
"""A campaign mixing EMIT and EnMAP scenes of the same facilities through `run`: every scene's
L2 on its UTM grid at the sensor's native resolution with the seed's variables, the same
products on 1, 2 and 3 ranks (and with scene groups of 2), each sensor's plumes in the L4
table near their true sources, and a damaged EnMAP tile recorded while the others go on.
Usage: mixed_sensors.py <hyperplume> <mpiexec> <work dir>
"""
import csv
import glob
import math
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
subprocess.run([exe, "synth", "--out", base, "--sensor", "emit,enmap", "--facilities", "2", "--scenes-per-facility", "2",
                "--rows", "160", "--cols", "128", "--emission-min", "5000", "--emission-max", "9000", "--wind-max", "5",
                "--terrain-relief", "400", "--seed", "31", "--log-level", "warn"], check=True, stdout=subprocess.DEVNULL)
overlay = ["--config-overlay", os.path.join(base, "hyperplume_campaign.ini")]
zips = sorted(glob.glob(os.path.join(base, "*", "ENMAP01-____L1B-*.ZIP")))
rads = sorted(glob.glob(os.path.join(base, "*", "EMIT_L1B_RAD_*[0-9].nc")))
assert len(zips) == 2 and len(rads) == 2, (zips, rads)
assert glob.glob(os.path.join(base, "ancillary", "dem", "Copernicus_DSM_COG_10_*_DEM.tif"))


def run(root, n, *extra):
    cmd = ([mpiexec, "-np", str(n), "--oversubscribe"] if n > 1 else []) + [exe, "run", "--root", root, *overlay,
                                                                            "--log-level", "warn", *extra]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def copy(name):
    dst = os.path.join(work, name)
    shutil.copytree(base, dst, copy_function=os.link)
    return dst


def l2_files(root):
    return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "*", "*_L2B_*.nc")) +
                  glob.glob(os.path.join(root, "*", "ENMAP01-____L2B-*.nc")))


def comparable(path):
    ds = xr.open_dataset(path)
    # Wall-clock timers, paths, and the checksums of L3 files that record their own paths.
    ds.attrs = {k: v for k, v in ds.attrs.items()
                if not k.startswith("stage_") and k not in ("filename", "input_files", "plume_exclusion_files")}
    return ds


roots = {}
for n, k in ((1, 1), (2, 1), (3, 1), (2, 2)):
    root = copy(f"np{n}k{k}")
    r = run(root, n, "--ranks-per-scene", str(k))
    assert r.returncode == 0, (n, k, r.stdout[-3000:], r.stderr[-3000:])
    roots[(n, k)] = root
ref = roots[(1, 1)]
files = l2_files(ref)
assert len(files) == 4 and sum("ENMAP01-____L2B-" in f for f in files) == 2, files

# Each L2 on its UTM grid at native resolution with the seed's variables.
for rel in files:
    d = xr.open_dataset(os.path.join(ref, rel))
    for v in ("ch4", "ch4_uncertainty", "ch4_comb", "ch4_denoise", "ch4_comb_denoise", "ch4_mask", "rgb",
              "radiance_2100", "sza", "vza", "u10", "v10", "longitude", "latitude"):
        assert v in d.variables, (rel, v)
    res = abs(float(d.x[1] - d.x[0]))
    enmap = "ENMAP" in rel
    assert (28 < res < 34) if enmap else (55 < res < 66), (rel, res)
    crs = [v for v in d.data_vars if v.endswith("_utm")][0]
    assert d[crs].attrs["orthorectification_method"] == ("rpc" if enmap else "glt"), (rel, d[crs].attrs)
    assert d["radiance_2100"].attrs["units"] == ("mW m-2 sr-1 nm-1" if enmap else "uW/cm^2/SR/nm"), rel
    ch4 = d["ch4"].values
    assert np.isfinite(ch4).mean() > 0.3 and np.nanmax(ch4) > 300, (rel, np.isfinite(ch4).mean(), np.nanmax(ch4))
print("ok: EMIT and EnMAP L2 on their UTM grids (60 m and 30 m), orthorectified by their GLT and their RPC")

# The same products whatever the ranks.
for key, root in roots.items():
    if key == (1, 1):
        continue
    assert l2_files(root) == files, key
    for rel in files:
        a, b = comparable(os.path.join(ref, rel)), comparable(os.path.join(root, rel))
        for v in a.data_vars:
            assert np.array_equal(a[v].values, b[v].values, equal_nan=True), (key, rel, v)
        assert repr(sorted(a.attrs.items())) == repr(sorted(b.attrs.items())), (key, rel)
    assert open(os.path.join(ref, "hyperplume_l4.csv")).read() == open(os.path.join(root, "hyperplume_l4.csv")).read(), key
print("ok: identical L2 and L4 on 1, 2 and 3 ranks and in scene groups of 2")

# Each sensor's plumes in the L4 table, at their true sources.
truth = list(csv.DictReader(open(os.path.join(base, "truth_sources.csv"))))
rows = list(csv.DictReader(open(os.path.join(ref, "hyperplume_l4.csv"))))
assert sorted(r["instrument"] for r in rows) == ["emi", "emi", "hsi", "hsi"], [r["instrument"] for r in rows]
for r in rows:
    lat, lon = float(r["plume_latitude"]), float(r["plume_longitude"])
    near = min(math.hypot((lat - float(t["latitude"])) * 111320, (lon - float(t["longitude"])) * 111320 * math.cos(math.radians(lat)))
               for t in truth if float(t["emission_rate_kg_h"]) > 0)
    pixel = 30 if r["instrument"] == "hsi" else 60
    assert near <= 2 * pixel, (r["plume_id"], near)
    assert float(r["emission_csf"]) > 0 and float(r["emission"]) > 0, r
print("ok: EMIT and EnMAP plumes in the L4 table within two pixels of their true sources")

# A damaged EnMAP tile among good scenes: recorded with its reason, the others done.
bad = copy("bad")
victim = os.path.join(bad, os.path.relpath(zips[0], base))
os.remove(victim)
with open(victim, "wb") as f:
    f.write(open(zips[0], "rb").read()[:4096])
r = run(bad, 2)
assert r.returncode == 1 and "completed with failures" in r.stdout, (r.returncode, r.stdout[-2000:], r.stderr[-2000:])
quarantine = open(os.path.join(bad, "quarantine.csv")).read()
assert os.path.basename(victim) in quarantine and "METADATA.XML" in quarantine, quarantine
assert len(l2_files(bad)) == 3
assert not glob.glob(os.path.join(bad, "**", ".*partial*"), recursive=True)
print("ok: a truncated EnMAP ZIP is recorded with its reason, the other scenes done")
shutil.rmtree(work)

#!/usr/bin/python3
"""L1 -> L2 -> L3/L4 on synthetic EMIT scenes against the injected truth, then bad markers.
Usage: l3_validation.py <hyperplume> <work dir>

- 12 plumes of 2-12 t/h at EMIT noise (three campaigns of four 1024 x 256 scenes), markers from the truth:
  the median ratio of estimate to true Q over the plumes is asserted for IME and CSF, and the
  share of plumes whose truth lies within the stated 1 sigma is reported (docs/validation.md).
- Bad markers: a LineString, a marker off the scene and a malformed file give per-plume and
  per-scene errors while the good plumes are still produced.
"""
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys

import numpy as np
import xarray as xr

exe, work = sys.argv[1:3]
shutil.rmtree(work, ignore_errors=True)


def overlay(root):
    return ["--config-overlay", os.path.join(root, "hyperplume_campaign.ini"), "--log-level", "warn"]


# Three campaigns of four scenes, each L1 radiance removed once its L2 exists: the test never
# holds more than four scenes' radiance (1.2 GB) on disk.
truth, rows, roots = {}, [], []
for batch, seed in enumerate((5, 6, 7)):
    root = os.path.join(work, f"l1_{batch}")
    subprocess.run([exe, "synth", "--out", root, "--seed", str(seed), "--rows", "1024", "--cols", "256", "--facilities", "4",
                    "--scenes-per-facility", "1", "--emission-min", "2000", "--emission-max", "12000", "--log-level", "warn"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([exe, "l2", "--root", root, *overlay(root)], check=True, stdout=subprocess.DEVNULL)
    for dp, _, fs in os.walk(root):
        for f in fs:
            if f.startswith("EMIT_L1B_"):
                os.remove(os.path.join(dp, f))
    r = subprocess.run([exe, "l3", "--root", root, *overlay(root)], capture_output=True, text=True)
    assert r.returncode == 0, (r.stdout, r.stderr)
    truth.update({t["scene"].replace("L1B_RAD", "L2B") + ".nc": t
                  for t in csv.DictReader(open(os.path.join(root, "truth_sources.csv")))})
    batch_rows = list(csv.DictReader(open(os.path.join(root, "hyperplume_l4.csv"))))
    assert len(batch_rows) == 4, len(batch_rows)
    assert [r["plume_id"] for r in batch_rows] == sorted(r["plume_id"] for r in batch_rows)
    rows += batch_rows
    roots.append(root)
assert len(rows) == 12 and len(truth) == 12, (len(rows), len(truth))
stats = {"emission": [], "emission_csf": []}
covered = {"emission": 0, "emission_csf": 0}
for row in rows:
    t = truth[row["l2_file"]]
    q = float(t["emission_rate_kg_h"])
    assert float(t["emission_rate_kg_h"]) >= 2000
    for m in stats:
        est, sigma = float(row[m]), float(row[m.replace("emission", "emission_uncertainty") if m == "emission" else "emission_csf_uncertainty"])
        stats[m].append(est / q)
        covered[m] += abs(est - q) <= sigma
    # The snapped source is within a pixel or two of the true one; list cells are JSON.
    assert abs(float(row["plume_latitude"]) - float(t["latitude"])) < 3e-3
    assert len(json.loads(row["plume_bounds"])) == 4 and json.loads(row["wind_source_all"]) == ["ERA5", "GEOS-FP"]
for m, ratios in stats.items():
    med = statistics.median(ratios)
    print(f"{m}: median ratio {med:.3f} (min {min(ratios):.2f}, max {max(ratios):.2f}), truth within 1 sigma for "
          f"{covered[m]}/{len(ratios)} plumes")
    assert 0.7 <= med <= 1.3, (m, ratios)
    assert covered[m] >= len(ratios) // 4, (m, covered[m])

# The L3 files: CF coordinates and CRS readable by xarray, the plume inside the grid, the
# CSF transects adding up to the CSV's CSF estimate.
row, root = rows[0], roots[0]
l2 = [os.path.join(dp, f) for dp, _, fs in os.walk(root) for f in fs if f == row["l2_file"]][0]
l3 = l2.replace("L2B", "L3B").replace(".nc", "_plume0.nc")
ds = xr.open_dataset(l3, decode_coords="all")
assert ds["ch4"].dims == ("y", "x") and "EMIT_utm" in ds.coords and "crs_wkt" in ds["EMIT_utm"].attrs
assert int(np.isfinite(ds["ch4"].values).sum()) >= 6
assert float(ds.attrs["plume_latitude"]) == float(row["plume_latitude"])
assert list(ds["source"].values) == ["ERA5", "GEOS-FP"] and np.isnan(ds["sp"].values[0])
l2ds = xr.open_dataset(l2, decode_coords="all")
for c in ("latitude", "longitude"):  # copied as the L2 stores them
    assert np.array_equal(ds[c].values, l2ds[c].values), c
csf = xr.open_dataset(l3.replace(".nc", "_csf.nc"))
assert "center_line" in csf.dims
assert abs(float(np.nanmean(csf["emission_rate"].values)) / float(row["emission_csf"]) - 1) < 1e-9
assert int(np.isfinite(csf["emission_rate"].values).sum()) == int(row["n_csf"])
print("ok: L3 plume and CSF files")

# Bad markers: plume0 good, plume1 a LineString, plume2 off the scene; another scene's file
# truncated. The good plumes are produced and the failures named.
scenes = sorted(t for t in truth if any(t == f for _, _, fs in os.walk(root) for f in fs))
first = [os.path.join(dp, f) for dp, _, fs in os.walk(root) for f in fs if f == scenes[0].replace(".nc", ".geojson")][0]
doc = json.load(open(first))
doc["features"].append({"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}})
doc["features"].append({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [10.0, 50.0]}})
json.dump(doc, open(first, "w"))
second = [os.path.join(dp, f) for dp, _, fs in os.walk(root) for f in fs if f == scenes[1].replace(".nc", ".geojson")][0]
text = open(second).read()
open(second, "w").write(text[: len(text) // 2])
r = subprocess.run([exe, "l3", "--root", root, *overlay(root)], capture_output=True, text=True)
assert r.returncode == 1, (r.stdout, r.stderr)
assert "plume1: FAILED" in r.stdout and "LineString" in r.stdout, r.stdout
assert "plume2: FAILED" in r.stdout and "50 m" in r.stdout, r.stdout
assert os.path.basename(second) in r.stderr, r.stderr
assert "3 plume(s) done" in r.stdout and "1 scene(s) failed" in r.stdout, r.stdout
assert not [f for dp, _, fs in os.walk(root) for f in fs if "partial" in f]
print("ok: bad markers and a truncated marker file are reported, the other plumes produced")
shutil.rmtree(work)  # kept only when an assertion failed, to look at

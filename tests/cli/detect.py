#!/usr/bin/python3
"""Automatic detection, L1 -> L4 with no hand-placed marker: `run` detects on the first pass
and makes the plumes from the candidates (marker_origin auto), near the planted sources and
with the emission rates the true markers give; nothing on a plume-free and a sign-flipped
scene; `detect` alone writes the same files; an analyst's file is never touched (the
candidates go beside it) and `--markers file|auto|both` choose; bad input is named.
Usage: detect.py <hyperplume> <mpiexec> <work dir>
"""
import csv
import glob
import json
import math
import os
import shutil
import subprocess
import sys

import xarray as xr

exe, mpiexec, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
base = os.path.join(work, "base")
anc = os.path.join(base, "ancillary")


def synth(name, *args):
    subprocess.run([exe, "synth", "--out", os.path.join(base, name), "--ancillary-out", anc, "--rows", "384",
                    "--cols", "160", "--scenes-per-facility", "1", "--log-level", "warn", *args],
                   check=True, stdout=subprocess.DEVNULL)


# Plumes of 3-9 t/h at three facilities, a plume-free scene and a sign-flipped injection, each
# campaign on its own day and place (their own reanalysis files and water tiles).
synth("plumes", "--seed", "21", "--facilities", "3", "--emission-min", "3000", "--emission-max", "9000",
      "--wind-max", "6")
synth("free", "--seed", "22", "--facilities", "1", "--plume-free", "1", "--date", "2023-09-02", "--lon", "-95")
synth("flipped", "--seed", "23", "--facilities", "1", "--negative-plumes", "1", "--emission-min", "6000",
      "--date", "2023-09-20", "--lon", "-88")
truth = {r["scene"]: r for name in ("plumes", "free", "flipped")
         for r in csv.DictReader(open(os.path.join(base, name, "truth_sources.csv")))}
true_markers = {}
for f in glob.glob(os.path.join(base, "*", "*", "*.geojson")):  # nobody has placed a marker yet
    true_markers[f] = open(f).read()
    os.remove(f)
overlay = ["--config-overlay", os.path.join(base, "plumes", "hyperplume_campaign.ini")]


def copy(name):
    dst = os.path.join(work, name)
    shutil.copytree(base, dst, copy_function=os.link)  # runs never write the L1 files
    return dst


def hp(*args, n=None, ok=True):
    cmd = ([mpiexec, "-np", str(n), "--oversubscribe"] if n else []) + [exe, *args, *overlay, "--log-level", "warn"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert r.returncode == 0, (cmd, r.stdout[-3000:], r.stderr[-3000:])
    return r


def l4(root):
    return list(csv.DictReader(open(os.path.join(root, "hyperplume_l4.csv"))))


def scene_of(row):
    return row["l2_file"].replace("L2B", "L1B_RAD").replace(".nc", "")


def metres(lat1, lon1, lat2, lon2):
    dy = (lat1 - lat2) * 111195.0
    dx = (lon1 - lon2) * 111195.0 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


# 1. The whole chain with no marker anywhere (two passes, the default).
auto = copy("auto")
hp("run", "--root", auto, n=2)
rows = l4(auto)
assert rows and all(r["marker_origin"] == "auto" for r in rows), rows
for path in glob.glob(os.path.join(auto, "*", "*", "EMIT_L2B_*.geojson")):
    collection = json.load(open(path))
    assert collection["name"] == "hyperplume_detect" and collection["spectral_check"] == "on", path
    for feature in collection["features"]:
        assert feature["properties"]["origin"] == "auto" and feature["properties"]["score"] >= float(collection["min_score"]), feature
# Every planted source found, its marker within 3 pixels (180 m) of it.
for scene, t in truth.items():
    if "plumes" not in glob.glob(os.path.join(base, "*", "*", scene + ".nc"))[0]:
        continue
    near = [metres(float(r["plume_latitude"]), float(r["plume_longitude"]), float(t["latitude"]), float(t["longitude"]))
            for r in rows if scene_of(r) == scene]
    assert near and min(near) <= 180, (scene, near)
# Nothing on the plume-free scene nor on the sign-flipped injection.
for r in rows:
    kind = glob.glob(os.path.join(auto, "*", "*", scene_of(r) + ".nc"))[0].split(os.sep)[-3]
    assert kind == "plumes", (kind, r["plume_id"])

# 2. The same emission rates as the true markers give (the same pixels picked).
marked = copy("marked")
for f, text in true_markers.items():
    if os.sep + "plumes" + os.sep in f:
        open(f.replace(base, marked), "w").write(text)
hp("run", "--root", marked, "--markers", "file", n=2)
by_truth = {scene_of(r): r for r in l4(marked)}
for r in rows:
    t = by_truth.get(scene_of(r))
    if t and metres(float(r["plume_latitude"]), float(r["plume_longitude"]),
                    float(t["plume_latitude"]), float(t["plume_longitude"])) <= 180:
        ratio = float(r["emission"]) / float(t["emission"])
        print(f"{r['plume_id']}: auto / true marker IME {ratio:.3f}")
        assert 0.9 < ratio < 1.1, (r, t)
        assert t["marker_origin"] == "file"

# 3. `detect` alone writes what the run's stage wrote on the same (first-pass) L2, with the
# index map from the L1 instead of memory; --skip-exist keeps the files.
auto = copy("one_pass")
hp("run", "--root", auto, "--passes", "1", n=2)
files = {f: open(f).read() for f in glob.glob(os.path.join(auto, "*", "*", "EMIT_L2B_*.geojson"))}
r = hp("detect", "--root", auto, "--skip-exist")
assert f"kept, 0 failed" in r.stdout and f"{len(files)} kept" in r.stdout, r.stdout
for f in files:
    os.remove(f)
hp("detect", "--root", auto)
for f, text in files.items():
    assert open(f).read() == text, f

# 4. An analyst's file is never touched; the candidates go beside it; --markers chooses.
one = sorted(f for f in files if os.sep + "plumes" + os.sep in f)[0]
l2 = one.replace(".geojson", ".nc")
t = truth[os.path.basename(l2).replace("L2B", "L1B_RAD").replace(".nc", "")]
analyst = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": '
           '{"type": "Point", "coordinates": [%s, %s]}}]}\n' % (t["longitude"], t["latitude"]))
open(one, "w").write(analyst)
hp("detect", "--root", auto)
assert open(one).read() == analyst
beside = one.replace(".geojson", "_auto.geojson")
assert json.load(open(beside))["features"], beside
for choice, origins in (("file", {"file"}), ("auto", {"auto"}), ("both", {"file"})):
    out = os.path.join(work, "l3_" + choice)
    os.makedirs(out)
    r = hp("l3", "--root", os.path.dirname(one), "--out", out, "--markers", choice, ok=False)
    got = {x["marker_origin"] for x in l4(out)}
    assert origins <= got, (choice, got, r.stdout)
    if choice == "both":  # the candidate on the analyst's plume is that plume, made once
        assert "same plume as plume0" in r.stdout, r.stdout
    if choice == "file":
        assert got == {"file"} and len(l4(out)) == 1, l4(out)

# 5. Bad input: an L2 without the fields detection needs, a marker file that does not parse.
bad = os.path.join(work, "bad")
os.makedirs(bad)
with xr.open_dataset(l2) as ds:
    ds.drop_vars("ch4_comb_denoise").to_netcdf(os.path.join(bad, os.path.basename(l2)))
good = os.path.join(bad, os.path.basename(l2).replace("_00", "_90"))
shutil.copy(l2, good)
r = hp("detect", "--root", bad, ok=False)
assert r.returncode == 1, r.returncode
assert "ch4_comb_denoise" in r.stderr and os.path.basename(l2) in r.stderr, r.stderr
assert "1 failed" in r.stdout and "1 L2 product(s)" in r.stdout, r.stdout
assert not glob.glob(os.path.join(bad, "*.tmp*")) and len(glob.glob(os.path.join(bad, "*.geojson"))) == 1
junk = good.replace(".nc", ".geojson")  # the detector's file, now an analyst's broken one
open(junk, "w").write('{"type": "FeatureCollection", "features": [')
r = hp("detect", "--root", bad, ok=False)
assert open(junk).read() == '{"type": "FeatureCollection", "features": [', "an analyst's file was replaced"
assert os.path.exists(good.replace(".nc", "_auto.geojson"))
r = hp("l3", "--root", bad, "--markers", "file", ok=False)
assert r.returncode == 1 and os.path.basename(junk) in r.stderr, r.stderr
shutil.rmtree(work)

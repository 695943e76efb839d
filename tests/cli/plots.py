#!/usr/bin/python3
"""Visual products end to end: `run --plots` on 2 ranks makes every scene's quicklooks, map
pages, plume figures, the directory map and the campaign index; the overlay PNG is
georeferenced (the planted source's pixel within one pixel of its lat/lon); the map works in
headless Chromium with the network off (layers, toggling, wind arrow drag), and a marker
placed there and exported is a file `hyperplume l3` accepts and that picks the planted plume;
`plot`, `plot-l3` and bad input (a missing variable, an unparsable marker file, an empty
directory).
Usage: plots.py <hyperplume> <mpiexec> <work dir>
"""
import csv
import glob
import json
import math
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import xarray as xr
from PIL import Image

exe, mpiexec, work = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
check_map = os.path.join(here, "..", "browser", "check_map.py")
shutil.rmtree(work, ignore_errors=True)
env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
root = os.path.join(work, "campaign")
subprocess.run([exe, "synth", "--out", root, "--rows", "256", "--cols", "128", "--facilities", "2",
                "--scenes-per-facility", "1", "--seed", "31", "--emission-min", "4000", "--emission-max", "8000",
                "--wind-max", "5", "--log-level", "warn"], check=True, stdout=subprocess.DEVNULL)
overlay = ["--config-overlay", os.path.join(root, "hyperplume_campaign.ini")]
truth = {r["scene"]: r for r in csv.DictReader(open(os.path.join(root, "truth_sources.csv")))}


def hp(*args, n=None, ok=True):
    cmd = ([mpiexec, "-np", str(n), "--oversubscribe"] if n else []) + [exe, *args, *overlay, "--log-level", "warn"]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert r.returncode == 0, (cmd, r.stdout[-3000:], r.stderr[-3000:])
    return r


def browser(page, *args, ok=True):
    cmd = ["/usr/bin/python3", check_map, page, *args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    print(r.stdout.strip())
    if ok:
        assert r.returncode == 0, (cmd, r.stdout[-3000:], r.stderr[-3000:])
    return r


def metres(lat1, lon1, lat2, lon2):
    return math.hypot((lat1 - lat2) * 111195.0, (lon1 - lon2) * 111195.0 * math.cos(math.radians(lat1)))


def page_data(page):
    """The page's data object (window.HYPERPLUME_MAP = {...})."""
    text = open(page).read()
    start = text.index("window.HYPERPLUME_MAP = ") + len("window.HYPERPLUME_MAP = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


# 1. The campaign with its pictures.
hp("run", "--root", root, "--plots", n=2)
l2s = sorted(glob.glob(os.path.join(root, "*", "EMIT_L2B_*.nc")))
assert len(l2s) == 2, l2s
variables = ["rgb", "radiance_2100", "ch4", "ch4_comb", "ch4_denoise", "ch4_comb_denoise", "ch4_mask"]
for l2 in l2s:
    stem = l2[:-3]
    for v in variables:
        assert os.path.getsize(f"{stem}_{v}.png") > 100, (stem, v)
    assert os.path.exists(stem + ".html")
    assert os.path.getsize(stem + ".html") < 15e6
    d = os.path.dirname(l2)
    assert os.path.exists(os.path.join(d, os.path.basename(d) + ".html")), d
plumes = sorted(glob.glob(os.path.join(root, "*", "EMIT_L3B_*_plume[0-9].nc")))
assert plumes, "no plume"
for l3 in plumes:
    assert os.path.getsize(l3[:-3] + ".png") > 10000 and os.path.exists(l3[:-3] + ".html"), l3
index = open(os.path.join(root, "campaign_index.html")).read()
rows = list(csv.DictReader(open(os.path.join(root, "hyperplume_l4.csv"))))
for r in rows:
    assert r["plume_id"] in index, r["plume_id"]
    assert "%.2f &plusmn;" % (float(r["emission"]) / 1000) in index, r["emission"]
for scene in truth:
    assert scene in index, scene
timings = list(csv.DictReader(open(os.path.join(root, "campaign_timings.csv"))))
events = [json.loads(line) for line in open(os.path.join(root, "hyperplume_journal.jsonl"))]
plot_s = [float(e["plot_seconds"]) for e in events if e.get("event") == "done" and "plot_seconds" in e]
assert len(plot_s) == 2 and not any("plots_error" in e for e in events), events
print("plot seconds per scene:", plot_s, "scene seconds:", [t["seconds"] for t in timings])

# 2. The map page of the first product, as the analyst sees it.
l2 = l2s[0]
stem = l2[:-3]
scene = os.path.basename(l2).replace("L2B", "L1B_RAD")[:-3]
t = truth[scene]
data = page_data(stem + ".html")
start = data["scenes"][0]["start_time"]
group = f"{start} group (EMIT)"
args = ["--expect-group", group, "--expect-shown", f"{start} | ch4_comb_denoise", "--toggle-layer", f"{start} | ch4"]
for v in variables:
    args += ["--expect-layer", f"{start} | {v}"]
exported = os.path.join(work, "exported.geojson")
browser(stem + ".html", *args, "--expect-layer", f"{start} | ERA5 Wind", "--drag-wind", "--check-tools",
        "--screenshot", os.path.join(work, "map_screenshot.png"))
shutil.copy(plumes[0][:-3] + ".png", os.path.join(work, "plume_figure.png"))  # for people to look at

# 3. Round trip: the exported markers are the file `hyperplume l3` reads, and pick the plume.
# A product nobody has marked yet: its page, a point placed at the source, Export.
marked = os.path.join(work, "marked")
os.makedirs(marked)
shutil.copy(l2, marked)
hp("plot", "--root", marked)
browser(os.path.join(marked, os.path.basename(stem) + ".html"), "--add-marker", t["latitude"], t["longitude"],
        "--export", exported)
shutil.copy(exported, os.path.join(marked, os.path.basename(stem) + ".geojson"))
hp("l3", "--root", marked)
row = next(csv.DictReader(open(glob.glob(os.path.join(marked, "*_plume0.csv"))[0])))
off = metres(float(row["plume_latitude"]), float(row["plume_longitude"]), float(t["latitude"]), float(t["longitude"]))
# The same plume (the same pixels, so the same emission) as the campaign's true marker made.
same = [r for r in rows if r["l2_file"] == os.path.basename(l2)]
q = float(row["emission"]) / float(same[0]["emission"])
print(f"exported marker: plume {off:.0f} m from the planted source, IME / the true marker's {q:.4f}"
      f" (true Q {float(t['emission_rate_kg_h']):.0f}, IME {float(row['emission']):.0f} kg/h)")
assert off <= 180 and abs(q - 1) < 1e-6, (off, q, row)

# 4. Georeferencing: only the source pixel kept in the ch4 field; in the overlay PNG it lies
# within one pixel of its lat/lon (Leaflet's linear stretch between the bounds).
geo = os.path.join(work, "geo")
os.makedirs(geo)
with xr.open_dataset(l2) as ds:
    ds.load()
d2 = (ds.latitude - float(t["latitude"])) ** 2 + ((ds.longitude - float(t["longitude"])) * math.cos(math.radians(float(t["latitude"])))) ** 2
r0, c0 = np.unravel_index(int(np.nanargmin(d2.values)), d2.shape)
ch4 = np.full(ds.ch4.shape, np.nan, dtype=np.float32)
ch4[r0, c0] = 1000.0
ds["ch4"] = (ds.ch4.dims, ch4, ds.ch4.attrs)
one = os.path.join(geo, os.path.basename(l2))
ds.to_netcdf(one)
hp("plot", "--root", geo)
png = np.asarray(Image.open(one[:-3] + "_ch4.png").convert("RGBA"))
rows_, cols_ = np.nonzero(png[:, :, 3])
assert len(rows_) >= 1, "the source pixel is not in the overlay"
(south, west), (north, east) = page_data(one[:-3] + ".html")["scenes"][0]["overlays"][0]["bounds"]
def merc_y(lat):
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
h, w = png.shape[:2]
x = west + (cols_.mean() + 0.5) / w * (east - west)
y = merc_y(north) - (rows_.mean() + 0.5) / h * (merc_y(north) - merc_y(south))
lat = math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)
pixel = abs(float(ds.y[1] - ds.y[0]))
err = metres(lat, x, float(ds.latitude[r0, c0]), float(ds.longitude[r0, c0]))
print(f"georeferencing: source pixel drawn {err:.1f} m from its lat/lon (pixel {pixel:.0f} m)")
assert err <= pixel, err

# 5. `plot` again: --skip-exist keeps; a missing variable is noted; a broken marker file is
# shown as an error and never rewritten; an empty directory says so.
r = hp("plot", "--root", root, "--skip-exist")
assert "0 L2 product(s) plotted, 2 kept" in r.stdout, r.stdout
bad = os.path.join(work, "bad")
os.makedirs(bad)
ds.drop_vars(["ch4_comb"]).to_netcdf(os.path.join(bad, os.path.basename(l2)))
broken = os.path.join(bad, os.path.basename(stem) + ".geojson")
open(broken, "w").write('{"type": "FeatureCollection", "features": [')
hp("plot", "--root", bad)
notes = page_data(os.path.join(bad, os.path.basename(stem) + ".html"))["scenes"][0]
assert any("ch4_comb" in n for n in notes["notes"]), notes["notes"]
assert notes["markers_error"], notes
assert not os.path.exists(os.path.join(bad, os.path.basename(stem) + "_ch4_comb.png"))
browser(os.path.join(bad, os.path.basename(stem) + ".html"), "--expect-error-banner")
assert open(broken).read() == '{"type": "FeatureCollection", "features": ['
empty = os.path.join(work, "empty")
os.makedirs(empty)
r = hp("plot", "--root", empty)
assert "no L2 product under" in r.stderr, r.stderr
assert not [f for f in os.listdir(bad) if f.startswith(".")], os.listdir(bad)  # no temporaries left

# 6. plot-l3: the figures again; --minimal is narrower.
big = Image.open(plumes[0][:-3] + ".png").size
hp("plot-l3", "--root", root, "--minimal")
small = Image.open(plumes[0][:-3] + ".png").size
assert small[0] < big[0] and big == (2700, 1500), (big, small)
print("ok: visual products")

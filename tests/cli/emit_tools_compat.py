#!/usr/bin/python3
"""Opens synthetic granules the way real-EMIT tools do, unchanged.

NASA's EMIT-Data-Resources `emit_tools.emit_xarray` opens the root dataset and the
`sensor_band_parameters` and `location` groups with xarray, attaches them as coordinates
and orthorectifies with the 1-based GLT (0 = no data); Satpy's emit_l1b reader parses
`time_coverage_start` with '%Y-%m-%dT%H:%M:%S%z' and picks OBS bands by exact name.
Usage: emit_tools_compat.py <hyperplume executable> <work dir>
"""
import datetime
import glob
import os
import shutil
import subprocess
import sys

import numpy as np
import xarray as xr

exe, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
subprocess.run([exe, "synth", "--out", work, "--rows", "40", "--cols", "36", "--facilities", "1",
                "--scenes-per-facility", "1", "--water-posting", "0.001", "--log-level", "warn"], check=True,
               stdout=subprocess.DEVNULL)
rad_path = glob.glob(os.path.join(work, "*", "EMIT_L1B_RAD_001_*[0-9].nc"))[0]
obs_path = rad_path.replace("_RAD_", "_OBS_")

ds = xr.open_dataset(rad_path)
wvl = xr.open_dataset(rad_path, group="sensor_band_parameters")
loc = xr.open_dataset(rad_path, group="location")
ds = ds.assign_coords({"downtrack": np.arange(ds.sizes["downtrack"]), "crosstrack": np.arange(ds.sizes["crosstrack"]),
                       **wvl.variables, **loc.variables})
ds = ds.swap_dims({"bands": "wavelengths"})
assert ds["radiance"].dims == ("downtrack", "crosstrack", "wavelengths"), ds["radiance"].dims
assert ds["radiance"].dtype == np.float32
assert ds.sizes["wavelengths"] == 285
assert abs(float(ds["wavelengths"][0]) - 381.0) < 0.1 and abs(float(ds["wavelengths"][-1]) - 2492.9) < 0.1
assert ds["radiance"].attrs["units"] == "uW/cm^2/SR/nm"
raw = xr.open_dataset(rad_path, group="location", mask_and_scale=False)
assert raw["lat"].dtype == np.float64 and raw["glt_x"].dtype == np.int32 and raw["glt_x"].attrs["_FillValue"] == -9999
assert ds.attrs["title"].startswith("EMIT L1B At-Sensor Calibrated Radiance")
t0 = datetime.datetime.strptime(ds.attrs["time_coverage_start"], "%Y-%m-%dT%H:%M:%S%z")
assert t0.tzinfo is not None

# emit_tools.apply_glt: out[valid] = data[glt_y - 1, glt_x - 1]
gt = ds.attrs["geotransform"]
glt = np.nan_to_num(np.stack([loc["glt_x"].values, loc["glt_y"].values], axis=-1), nan=-9999).astype(int)
valid = np.all(glt != 0, axis=-1)
assert valid.sum() >= ds.sizes["downtrack"] * ds.sizes["crosstrack"], "GLT covers the swath"
rad = ds["radiance"].values
ortho = np.full(glt.shape[:2] + (rad.shape[2],), -9999.0, dtype=np.float32)
ortho[valid] = rad[glt[valid, 1] - 1, glt[valid, 0] - 1, :]
# The orthorectified pixel sits where the GLT grid says: its lat/lon is within a cell.
j, i = np.argwhere(valid)[len(np.argwhere(valid)) // 2]
lon_c, lat_c = gt[0] + (i + 0.5) * gt[1], gt[3] + (j + 0.5) * gt[5]
y, x = glt[j, i, 1] - 1, glt[j, i, 0] - 1
assert abs(loc["lon"].values[y, x] - lon_c) < 1.5 * gt[1] and abs(loc["lat"].values[y, x] - lat_c) < 1.5 * abs(gt[5])

obs = xr.open_dataset(obs_path)
names = list(xr.open_dataset(obs_path, group="sensor_band_parameters")["observation_bands"].values)
assert len(names) == 11 and obs["obs"].shape[2] == 11
sza = obs["obs"].values[:, :, names.index("To-sun zenith (0 to 90 degrees from zenith)")]
assert 0 < np.nanmean(sza) < 80
print(f"ok: {os.path.basename(rad_path)} opens with xarray/emit_tools conventions; GLT {glt.shape[:2]}")

# The L2 product opens as HyperGas's downstream tools open it.
subprocess.run([exe, "l2", "--root", work, "--config-overlay", os.path.join(work, "hyperplume_campaign.ini"),
                "--log-level", "warn"], check=True, stdout=subprocess.DEVNULL)
l2_path = os.path.join(os.path.dirname(rad_path), os.path.basename(rad_path).replace("L1B_RAD", "L2B"))
l2 = xr.open_dataset(l2_path, decode_coords="all")
for v in ["ch4", "ch4_comb", "ch4_denoise", "ch4_comb_denoise", "ch4_mask", "ch4_uncertainty", "segmentation",
          "quality_mask", "radiance_2100", "rgb", "u10", "v10", "sp", "sza", "vza", "raa", "sga"]:
    assert v in l2, v
assert "latitude" in l2.coords and "longitude" in l2.coords
# On the UTM grid: 1-D x/y pixel centres, 2-D lon/lat, the grid mapping decoded as a coordinate.
assert "EMIT_utm" in l2.coords and l2["EMIT_utm"].attrs["grid_mapping_name"] == "transverse_mercator"
assert l2["ch4"].dims == ("y", "x") and l2["latitude"].dims == ("y", "x")
assert l2["x"].attrs["units"] == "m" and float(l2["y"][1] - l2["y"][0]) < 0
mask = l2["ch4_mask"].values
assert set(np.unique(mask[np.isfinite(mask)])) <= set(range(0, 1000))
assert "weight=" in l2["ch4_comb_denoise"].attrs["description"]
info = subprocess.run(["gdalinfo", f'NETCDF:"{l2_path}":ch4'], check=True, capture_output=True, text=True).stdout
assert "UTM zone" in info and "Origin = (" in info and "Pixel Size = (" in info, info[:2000]
assert l2["ch4"].attrs["units"] == "ppb" and l2["ch4"].dtype == np.float32
assert list(l2["source"].values) == ["ERA5", "GEOS-FP"], l2["source"].values
assert list(l2["quality_flag"].values) == ["water", "cloud", "cirrus", "invalid"]
assert list(l2["bands"].values) == [650.0, 560.0, 470.0]
assert float(l2["ch4"].attrs["sza"]) > 0 and l2.attrs["Conventions"] == "CF-1.8"
assert np.isfinite(l2["ch4"].values).mean() > 0.3  # the swath is rotated in its UTM box
print(f"ok: {os.path.basename(l2_path)} opens with decode_coords='all'")

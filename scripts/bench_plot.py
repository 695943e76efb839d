#!/usr/bin/python3
"""HyperGas's way of plotting an L2 (l2b_plot.py, spec l2_l3 §7.5), for the side-by-side
benchmark: per variable a cartopy EPSG:3857 axes, pcolormesh on lon/lat, saved transparent
at dpi 1000 (HyperGas's setting), then a folium map with every PNG as an ImageOverlay
(folium embeds them as data URLs). Uses Debian's python3-matplotlib, python3-cartopy and
python3-folium; the colour limits as HyperGas's.
Usage: bench_plot.py <L2 file> <out dir> [dpi]
"""
import os
import sys

import cartopy.crs as ccrs
import folium
import matplotlib
import numpy as np
import xarray as xr

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

l2, out = sys.argv[1:3]
dpi = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
os.makedirs(out, exist_ok=True)
ds = xr.open_dataset(l2)
lon, lat = ds.longitude.values, ds.latitude.values
stem = os.path.join(out, os.path.basename(l2)[:-3])
m = folium.Map(location=[float(np.nanmean(lat)), float(np.nanmean(lon))], zoom_start=12, tiles=None)
for var in ["rgb", "radiance_2100", "ch4", "ch4_comb", "ch4_denoise", "ch4_comb_denoise", "ch4_mask"]:
    if var not in ds:
        continue
    fig, ax = plt.subplots(subplot_kw={"projection": ccrs.epsg(3857)})
    kw = {"transform": ccrs.PlateCarree(), "shading": "nearest"}
    if var == "rgb":
        rgb = np.clip(np.moveaxis(ds.rgb.values, 0, -1), 0, 1)
        ax.pcolormesh(lon, lat, rgb[:, :, 0], color=rgb.reshape(-1, 3), **kw)
    else:
        v = ds[var].values
        if var == "radiance_2100":
            kw.update(cmap="viridis", vmin=np.nanpercentile(v, 1), vmax=np.nanpercentile(v, 99))
        elif "denoise" in var:
            kw.update(cmap="plasma", vmin=np.nanmean(v), vmax=np.nanpercentile(v, 99))
        elif "mask" in var:
            v = np.where(v > 0, v, np.nan)
            kw.update(cmap="tab20c", vmin=0)
        else:
            kw.update(cmap="plasma", vmin=0, vmax=300)
        ax.pcolormesh(lon, lat, v, **kw)
    ax.axis("off")
    png = f"{stem}_{var}.png"
    fig.savefig(png, transparent=True, bbox_inches="tight", pad_inches=0, dpi=dpi)
    plt.close(fig)
    x0, x1, y0, y1 = ax.get_extent(crs=ccrs.PlateCarree())
    folium.raster_layers.ImageOverlay(png, bounds=[[y0, x0], [y1, x1]], name=var,
                                      opacity=0.9 if var == "rgb" else 0.7).add_to(m)
folium.LayerControl().add_to(m)
m.save(stem + ".html")

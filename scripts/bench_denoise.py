"""HyperGas's denoising step, as it runs in Python (scikit-image calibrate_denoiser over 50
weights + denoise_invariant with denoise_tv_chambolle, per segmentation label), timed on the
fields of a HyperPlume sensor-geometry product (--unortho-export). Used by bench_denoise.sh."""
import sys
import time

import numpy as np
import xarray as xr
from scipy.stats import mstats
from skimage.restoration import calibrate_denoiser, denoise_tv_chambolle

try:
    from skimage.restoration import denoise_invariant
except ImportError:  # scikit-image < 0.20 (Debian 12 has 0.19)
    from skimage.restoration.j_invariant import _invariant_denoise

    def denoise_invariant(image, denoise_function, *, denoiser_kwargs=None):
        return _invariant_denoise(image, denoise_function, denoiser_kwargs=denoiser_kwargs)

from scipy import ndimage


def calibration_image(field, seg, label):
    """HyperGas's steps 1-4 for one label: the field on the label, isolated outliers (groups
    of < 10 pixels outside the 1-99 % quantiles) out, NaN filled with the trimmed mean m."""
    noisy = np.where(seg == label, field, np.nan)
    valid = noisy[np.isfinite(noisy)]
    q01, q99 = np.quantile(valid, 0.01), np.quantile(valid, 0.99)
    lab, _ = ndimage.label((noisy < q01) | (noisy > q99))
    sizes = np.bincount(lab.ravel())
    calib = noisy.copy()
    calib[(lab > 0) & (sizes[lab] < 10)] = np.nan
    m = mstats.trimmed_mean(calib[np.isfinite(calib)], limits=(0.001, 0.001))
    return noisy, np.where(np.isfinite(calib), calib, m).astype(field.dtype), m


def calibrated_tv(field, seg, skip_water=True):
    labels = np.unique(seg)
    if skip_water and len(labels) == 2:
        labels = [1]
    out = np.zeros_like(field)
    weight = None
    for label in labels:
        noisy, noisy_mask, m = calibration_image(field, seg, label)
        sigma = np.std(noisy_mask)
        weights = np.linspace(sigma / 10, 3 * sigma, 50)
        _, (tested, losses) = calibrate_denoiser(noisy_mask, denoise_tv_chambolle,
                                                 denoise_parameters={"weight": weights}, extra_output=True)
        best = tested[int(np.argmin(losses))]
        weight = best["weight"]
        filled = np.where(np.isfinite(noisy), noisy, m).astype(field.dtype)
        d = denoise_invariant(filled, denoise_tv_chambolle, denoiser_kwargs=best)
        out += np.where(seg == label, d, 0)
    return out, weight


def loss_at(field, seg, weights):
    """scikit-image's J-invariant loss on the calibration image of label 1 (the land label
    HyperGas processes with skip_water) at the given weights."""
    _, noisy_mask, _ = calibration_image(field, seg, 1)
    _, (_, losses) = calibrate_denoiser(noisy_mask, denoise_tv_chambolle,
                                       denoise_parameters={"weight": list(weights)}, extra_output=True)
    return losses


# argv: the unortho product, then HyperPlume's weights for ch4 and ch4_comb
ds = xr.open_dataset(sys.argv[1])
ours = {"ch4": float(sys.argv[2]), "ch4_comb": float(sys.argv[3])}
seg = ds["segmentation"].values
total = 0.0
for name in ("ch4", "ch4_comb"):
    field = ds[name].values.astype(np.float32)
    t0 = time.perf_counter()
    _, w = calibrated_tv(field, seg)
    dt = time.perf_counter() - t0
    total += dt
    print(f"scikit-image {name}: {dt:.2f} s, weight {w:.1f} (66 TV solves)")
    l_grid, l_ours = loss_at(field, seg, [w, ours[name]])
    print(f"  J-invariant loss (scikit-image): grid optimum {l_grid:.3f}, HyperPlume's weight "
          f"{ours[name]:.1f}: {l_ours:.3f} ({100 * (l_ours / l_grid - 1):+.2f} %)")
print(f"scikit-image both fields: {total:.2f} s")

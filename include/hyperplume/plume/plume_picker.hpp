#pragma once
// Picking a plume from a source marker (HyperGas `a_priori_mask_data` and
// `select_connect_masks`, plume_utils.py), and the Carbon Mapper v2 mask around the picked
// pixel (`cm_mask_data`). Pure kernels on the orthorectified L2 grid.
//
// The pick: snap the marker to the nearest pixel centre; if that pixel is background, move to
// the labelled pixel nearest the marker — if it is within label_max_distance; then keep the
// a-priori labels that a dilation by dist_max joins to the target's label and whose rectangle
// orientations form a chain, in order of distance from the target label, with steps of at
// most azimuth_diff_max.
//
// The label distance limit: HyperGas moves a marker into the nearest label however far away
// it is, so a source whose plume the mask missed gets some other plume of the scene, or a
// noise blob kilometres away. HyperPlume refuses a marker farther than label_max_distance
// from every labelled pixel centre. The pipeline's default, 2 dist_max, treats the marker
// like one more mask piece: the dilation by dist_max joins two pieces up to 2 dist_max
// apart. Measured on synthetic EMIT scenes (60 markers, 1-12 t/h): markers on a detected
// plume were within 264 m of its labels, the others 600 m and more.
//
// Two profiles:
//  - hypergas: HyperGas as it is. Rectangles and distances in degrees of lon/lat from
//    pixel-centre rings in raster order; azimuths in (0, 180] without wrap-around; the nearest
//    labelled pixel by planar degree distance; a marker on a NaN pixel fails.
//  - default: rectangles and distances in metres from the pixel squares on the UTM grid;
//    azimuth differences wrap at 180°; the nearest labelled pixel by great-circle distance; a
//    NaN pixel is treated like background.
#include <cstdint>
#include <hyperplume/core/raster.hpp>
#include <limits>
#include <vector>

namespace hyperplume::plume {

// The orthorectified L2 grid the picking works on.
struct PlumeGrid {
  const Raster<double>* longitude = nullptr;  // pixel centres, degrees (rows x cols)
  const Raster<double>* latitude = nullptr;
  std::vector<double> x, y;  // UTM pixel-centre coordinates of the columns / rows, m (y
                             // decreasing: north-up)
};

struct PickOptions {
  double azimuth_diff_max = 30;  // degrees
  double dist_max = 180;         // m, dilation distance
  double snap_radius = 50;       // m: a marker farther than this from every pixel centre fails
  // m, great circle: a marker on background farther than this from every labelled pixel
  // centre fails. Infinity (here) = no limit, as HyperGas.
  double label_max_distance = std::numeric_limits<double>::infinity();
  bool hypergas = false;  // reproduce HyperGas exactly (degrees, no wrap, etc.)
};

struct PickedPlume {
  int row = 0, col = 0;                // snapped target pixel
  double longitude = 0, latitude = 0;  // its centre (plume_longitude / plume_latitude downstream)
  Raster<std::uint8_t> mask;           // 1 = plume pixel (full grid)
  std::vector<int> labels;             // a-priori labels kept, ascending
  // m, great circle: from the marker to the labelled pixel centre it was moved to; 0 when
  // the marker's own pixel is labelled.
  double label_distance = 0;
};

// labels = the L2 `<g>_mask` (float: NaN = no data, 0 = background, 1..n labels).
// The mask holds the kept labels' pixels inside the target's dilated cluster, as HyperGas's
// masks_in_dilation (the same as all their pixels unless a label is split into far-apart parts).
// Throws InputError for: a marker farther than snap_radius from every pixel centre, a scene
// without labels when the marker needs moving into one, a marker farther than
// label_max_distance from every label, (hypergas profile) a target on a NaN pixel, and
// inconsistent grid shapes.
PickedPlume pick_plume(const Raster<float>& labels, const PlumeGrid& grid, double marker_lon,
                       double marker_lat, const PickOptions& options);

// For every plume, the index of the first earlier plume with exactly the same pixels, or -1:
// markers that picked the same plume (several markers on one source, or markers moved into
// the same label).
std::vector<int> first_identical_plume(const std::vector<const PickedPlume*>& plumes);

// The row-major index of the pixel centre nearest (lon, lat) by great circle, as the pick
// snaps a marker; -1 when no pixel has coordinates.
std::int64_t nearest_pixel_centre(const Raster<double>& longitude, const Raster<double>& latitude,
                                  double lon, double lat);

// The enhancement downwind of a source against the scene's noise: the finite `field`
// pixels within `length` pixels of (row, col) and within `half_angle` degrees of the direction
// the wind blows to (east and north components; the grid is north-up), summed, in units of
// noise × √n. A plume is positive there; a sign-flipped injection (radiance gained) negative,
// even where the halo it leaves in its own columns' statistics makes the source's
// surroundings positive; a marker on nothing sees noise about 0. (Around the source alone is
// no test: in the first pass a plume along its detector columns depresses its upwind
// neighbours in the same columns.)
struct DownwindSignal {
  double sum = 0;
  int pixels = 0;
  double z = std::numeric_limits<double>::quiet_NaN();
};
DownwindSignal downwind_signal(const Raster<float>& field, int row, int col, double wind_east,
                               double wind_north, double length, double half_angle, double noise);

// Carbon Mapper v2 mask around the target pixel (row, col) of `field` (the L2 <g>, NaN =
// invalid): 1 inside the mask, 0 elsewhere (full grid). pixel_res in m (int(|mean dy|)).
Raster<std::uint8_t> carbon_mapper_mask(const Raster<float>& field, int row, int col,
                                        double pixel_res);

}  // namespace hyperplume::plume

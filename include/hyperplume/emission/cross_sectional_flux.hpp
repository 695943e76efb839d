#pragma once
// Cross-sectional flux (CSF) geometry as HyperGas's plumeline.py builds it: a weighted cubic
// centre line in a frame rotated towards the plume, transects at equal arc-length stations,
// and the column mass of the pixels each transect touches.
#include <Eigen/Core>
#include <array>
#include <limits>
#include <vector>

namespace hyperplume::emission {

struct CsfOptions {
  double pixel_interval = 2.5;   // stations every pixel_interval * res of arc length
  double transect_factor = 1.5;  // half-length of a transect, in units of the extent e
  double ridge = 0.1;            // ridge alpha of the centre-line fit
  // true: HyperGas's fit, abscissa in metres and numpy.linalg.pinv's truncation (rcond 1e-15),
  // which drops the low-order directions of the badly scaled normal matrix.
  // false: abscissa centred on its weighted mean and divided by its weighted std, so the
  // normal matrix is well conditioned and nothing is truncated.
  bool numpy_pinv = false;
  // Weight each pixel by the length of the transect inside its square (the path integral of
  // the column). false: every touched pixel counts a full pixel side, as HyperGas, which
  // over-counts transects oblique to the grid by up to |cos| + |sin| (1.37 at 30 degrees).
  bool path_length = true;
};

// Y(X) = sum_k b_k t^k with t = (X - offset) / scale, in the rotated frame (metres).
// The numpy_pinv fit has offset 0 and scale 1, i.e. b are the metre coefficients.
struct CentrePolynomial {
  std::array<double, 4> b{};
  double offset = 0;
  double scale = 1;

  double operator()(double X) const;
  double slope(double X) const;  // dY/dX
  // c with Y(X) = c0 + c1 X + c2 X^2 + c3 X^3; for reporting, evaluate through operator().
  std::array<double, 4> metre_coefficients() const;
};

// pinv(AᵀWA + ridge I) AᵀW Y with A = [1, t, t², t³]; the pseudo-inverse zeroes singular values
// <= 1e-15 sigma_max like numpy's default. numpy_pinv selects t = X (metres), otherwise the
// centred and scaled abscissa (scale falls back to 1 when the weighted spread is 0).
CentrePolynomial fit_centre_polynomial(const Eigen::VectorXd& X, const Eigen::VectorXd& Y,
                                       const Eigen::VectorXd& weights, double ridge,
                                       bool numpy_pinv);

struct CsfLine {
  double x_start = 0, y_start = 0, x_end = 0, y_end = 0;  // m
  std::vector<int> pixels;      // ascending indices of the pixels whose square touches the line
  std::vector<double> lengths;  // m of the line credited to each pixel (its chord, or res)
  double column = std::numeric_limits<double>::quiet_NaN();  // sum(dOmega * length), kg/m
};

struct CsfGeometry {
  std::vector<CsfLine> lines;              // one per station, the first at arc length 0
  std::vector<double> centre_x, centre_y;  // the stations, m
  double length = 0;                       // l_csf: polyline length through the stations, m
  double theta = 0;                        // direction source -> weighted centroid, radians
  CentrePolynomial curve;                  // the centre line in the rotated frame
  double x_from = 0, x_to = 0;             // [X_a, X_b], the fitted part of the rotated axis
  double extent = 0;                       // e

  int lines_with_pixels() const;  // n_csf
  double mean_column() const;     // mean C_line over lines with pixels; NaN if none
};

// Pixels in HyperGas's stacking order (x-major, then y): centres x, y (m) and column mass
// dOmega (kg m-2), which also gives the fit weights max(dOmega, 0) / max(dOmega) (the same as
// HyperGas's enhancement weights since dOmega is the enhancement times one scene constant).
// source_x/y in the same CRS; res = pixel side (m). Throws InputError on empty or non-finite
// input and when no pixel has a positive column (the centre line is then undefined).
CsfGeometry cross_sectional_flux(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                                 const Eigen::VectorXd& column_mass, double source_x,
                                 double source_y, double res, const CsfOptions& options = {});

// Mean over the lines with pixels of the NaN-sum of `values` x each pixel's length (a line
// whose values are all NaN contributes 0, as numpy's nansum); NaN if no line has pixels.
// `values` are per pixel in the same order as the column mass, e.g. a shifted background.
double mean_line_column(const CsfGeometry& geometry, const Eigen::VectorXd& values);

}  // namespace hyperplume::emission

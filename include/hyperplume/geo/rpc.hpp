#pragma once
// Rational polynomial camera model (RPC00B, the term order GDAL and the EnMAP L1B metadata
// use): image line and sample of a ground point (lat, lon, height above the geoid) as
// ratios of cubic polynomials in normalised coordinates. Line 0 / sample 0 is the centre
// of the first pixel. Pure compute; GDAL's transformer inverts it over a DEM (io/).
#include <array>
#include <span>
#include <utility>

namespace hyperplume::geo {

struct Rpc {
  double line_off = 0, samp_off = 0, lat_off = 0, lon_off = 0, height_off = 0;
  double line_scale = 1, samp_scale = 1, lat_scale = 1, lon_scale = 1, height_scale = 1;
  std::array<double, 20> line_num{}, line_den{}, samp_num{}, samp_den{};

  // (line, sample) of the ground point.
  std::pair<double, double> image_of(double lat, double lon, double height) const;
};

// The 20 RPC00B terms of normalised (lat, lon, height).
std::array<double, 20> rpc_terms(double lat, double lon, double height);

struct RpcSample {
  double lat, lon, height;  // degrees, m
  double line, samp;        // where the sensor sees it
};

// Least-squares RPC of the samples: offsets at the sample means, scales at the largest
// deviation, cubic numerators over denominators of 1 (an RPC00B every reader takes). The
// samples must span several heights. Also returns the largest residual, in pixels.
struct RpcFit {
  Rpc rpc;
  double max_residual = 0;
};
RpcFit fit_rpc(std::span<const RpcSample> samples);

}  // namespace hyperplume::geo

#pragma once
// What the L3/L4 stages need from an orthorectified L2 product on disk: the grid and its CF
// grid mapping, the gas field and its a-priori mask, the wind and pressure of every source,
// and the scene's identity. Reads netCDF-4 and CDF-5 products alike.
#include <array>
#include <hyperplume/core/raster.hpp>
#include <hyperplume/core/time.hpp>
#include <hyperplume/pipeline/l2_retrieval.hpp>
#include <string>
#include <utility>
#include <vector>

namespace hyperplume::pipeline {

using AttributeList = std::vector<std::pair<std::string, AttributeValue>>;
// The text attribute `key`; "" if it is absent or not text.
std::string text_attribute(const AttributeList& attributes, const std::string& key);

struct L2Scene {
  std::string path, gas;
  std::string l1_path;     // global `filename`
  UtcTime start;
  std::vector<double> x, y;  // pixel centres (m)
  Raster<double> latitude, longitude;
  std::string grid_mapping;  // name of the CF grid-mapping variable
  AttributeList grid_mapping_attributes;
  Raster<float> field;  // <gas>: the narrow-window enhancement
  AttributeList field_attributes;
  Raster<float> mask;  // <gas>_mask: NaN no data, 0 background, 1..n labels
  std::vector<std::string> sources;
  std::vector<std::array<Raster<float>, 3>> weather;  // u10, v10, sp per source
  int rows() const { return static_cast<int>(field.rows()); }
  int cols() const { return static_cast<int>(field.cols()); }
  double resolution() const;  // |mean dy| (m)
};

// InputError naming the file for a product in sensor geometry, a missing variable or a
// wrong shape.
L2Scene read_l2_for_plumes(const std::string& path, const std::string& gas);

// emit | enmap | prisma from an L2 file name (EMIT_..., ENMAP..., PRS_...); InputError else.
std::string sensor_key_of(const std::string& l2_path);

}  // namespace hyperplume::pipeline

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/rpc.hpp>
#include <hyperplume/sensor/discovery.hpp>
#include <hyperplume/sensor/enmap/granule.hpp>
#include <hyperplume/sensor/enmap/l1b.hpp>
#include <hyperplume/sensor/sensors.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "support/pushbroom.hpp"

using namespace hyperplume;
namespace fs = std::filesystem;

namespace {
constexpr int kRows = 60, kCols = 50;

sensor::EnmapImage small_image(const test::Pushbroom& pb) {
  sensor::EnmapImage im;
  im.rows = kRows;
  im.cols = kCols;
  for (int b = 0; b < 91; ++b)
    im.vnir.push_back({418.0 + b * (993.0 - 418.0) / 90, 6.5, 3e-5, 1e-4});
  for (int b = 0; b < 133; ++b)
    im.swir.push_back({902.0 + b * (2445.0 - 902.0) / 132, 10.0, 1e-6, -2e-6});
  im.rpc = geo::fit_rpc(pb.rpc_samples(-5, kRows + 5, 5, -5, kCols + 5, 5, {0.0, 500.0, 1000.0})).rpc;
  Raster<std::uint8_t> cloud = Raster<std::uint8_t>::Zero(kRows, kCols);
  cloud.block(10, 20, 5, 7).setOnes();
  im.quality["CLOUD"] = cloud;
  return im;
}

float radiance(int r, int c, int b) {  // mW m-2 sr-1 nm-1
  return b < 91 ? static_cast<float>(40.0 + 0.5 * b + 0.3 * r + 0.2 * c)
                : static_cast<float>(3.0 + 0.01 * (b - 91) + 0.02 * r - 0.01 * c);
}

sensor::EnmapGranuleInfo small_info(const test::Pushbroom& pb) {
  sensor::EnmapGranuleInfo info;
  info.start = UtcTime::parse_iso8601("2022-10-02T07:48:33Z");
  info.end = info.start.plus_seconds(4.2);
  info.processed = UtcTime::parse_iso8601("2024-11-10T22:27:10Z");
  info.tile = 2;
  info.across_off_nadir = -pb.vza_deg;
  info.scene_azimuth = pb.vaa_deg;
  info.sun_elevation = 48;
  info.sun_azimuth = 160;
  auto corner = [&](double line, double samp) {
    const auto [e, n] = pb.ground0(line, samp);
    return pb.lonlat(e, n);
  };
  info.corners = {corner(0, 0), corner(0, kCols), corner(kRows, 0), corner(kRows, kCols)};
  return info;
}

std::string write_tile(const fs::path& dir) {
  const test::Pushbroom pb;
  return sensor::write_enmap_l1b(dir.string(), small_info(pb), small_image(pb), [](int r0, int r1, float* out) {
    for (int r = r0; r < r1; ++r)
      for (int c = 0; c < kCols; ++c)
        for (int b = 0; b < 224; ++b) *out++ = radiance(r, c, b);
  }, 16);
}

// A copy of the tile's ZIP with each member passed through `edit` (nullopt: left out).
using MemberEdit = std::function<std::optional<std::string>(const std::string& name, std::string bytes)>;
void rezip(const std::string& from, const std::string& to, const MemberEdit& edit) {
  char** list = VSIReadDirRecursive(("/vsizip/" + from).c_str());
  void* z = CPLCreateZip(to.c_str(), nullptr);
  REQUIRE(z != nullptr);
  for (char** p = list; p && *p; ++p) {
    const std::string name = *p;
    if (name.ends_with("/")) continue;
    const std::string vsi = "/vsizip/" + from + "/" + name;
    VSILFILE* f = VSIFOpenL(vsi.c_str(), "rb");
    REQUIRE(f != nullptr);
    std::string bytes;
    char buf[65536];
    for (std::size_t n; (n = VSIFReadL(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, n);
    VSIFCloseL(f);
    const auto out = edit(name, std::move(bytes));
    if (!out) continue;
    REQUIRE(CPLCreateFileInZip(z, name.c_str(), nullptr) == CE_None);
    REQUIRE(CPLWriteFileInZip(z, out->data(), static_cast<int>(out->size())) == CE_None);
    REQUIRE(CPLCloseFileInZip(z) == CE_None);
  }
  CSLDestroy(list);
  REQUIRE(CPLCloseZip(z) == CE_None);
}
}  // namespace

TEST_CASE("an EnMAP L1B tile written in DLR's layout reads back through the sensor interface",
          "[sensor]") {
  test::TempDir dir("enmap_l1b");
  const std::string zip = write_tile(dir.path());
  const std::string name = fs::path(zip).filename().string();
  CHECK(name == "ENMAP01-____L1B-DT0000004147_20221002T074833Z_002_V010501_20241110T222710Z.ZIP");
  REQUIRE(sensor::sensor_type_of(name) != nullptr);
  CHECK(std::string(sensor::sensor_type_of(name)->name) == "EnMAP");
  const auto found = sensor::find_l1_granules(dir.str());
  REQUIRE(found.size() == 1);
  CHECK(found[0].sensor == "EnMAP");
  CHECK(sensor::granule_files(zip) == std::vector<std::string>{zip});

  const auto g = sensor::open_granule(zip, {"none"});
  REQUIRE(g->rows() == kRows);
  REQUIRE(g->cols() == kCols);
  REQUIRE(g->bands() == 224);
  CHECK(g->wavelengths()[0] == Approx(418.0));
  CHECK(g->wavelengths()[91] == Approx(902.0));
  CHECK(g->fwhm()[200] == Approx(10.0));

  // Radiance = 1000 (DN gain + offset): back within half a DN step, across both images.
  const std::vector<int> bands{0, 45, 90, 91, 150, 223};
  const RadianceCube cube = g->read_radiance(bands);
  for (int r = 0; r < kRows; r += 7)
    for (int c = 0; c < kCols; c += 6)
      for (std::size_t i = 0; i < bands.size(); ++i) {
        const double step = 1000 * (bands[i] < 91 ? 3e-5 : 1e-6);
        REQUIRE(std::abs(cube.at(r, c, static_cast<int>(i)) - radiance(r, c, bands[i])) <= 0.5 * step + 1e-4);
      }
  RadianceCube box;
  const auto slabs = g->open_slabs(nullptr);
  slabs->read_box(bands, 20, 30, 11, 19, box);
  CHECK(box.at(3, 2, 4) == cube.at(23, 13, 4));

  // Geometry: the scene-centre angles, and with no DEM every pixel at the RPC height offset.
  const Scene s = g->read_geometry();
  CHECK(s.sensor.name == "EnMAP");
  CHECK(s.radiance_units == sensor::kEnmapRadianceUnits);
  CHECK(s.vza(5, 5) == Approx(18.0f));
  CHECK(s.sza(5, 5) == Approx(42.0f));
  CHECK(s.start_time == UtcTime::parse_iso8601("2022-10-02T07:48:33Z"));
  REQUIRE(s.latitude.rows() == kRows);
  REQUIRE(s.elevation.rows() == kRows);
  const test::Pushbroom pb;
  const geo::Rpc rpc = small_image(pb).rpc;
  const auto [l, smp] = rpc.image_of(s.latitude(30, 25), s.longitude(30, 25), s.elevation(30, 25));
  CHECK(l == Approx(30.0).margin(0.02));
  CHECK(smp == Approx(25.0).margin(0.02));
  // The GLT built from it names the pixel at its own position.
  REQUIRE(s.glt.has_value());
  const auto& gt = s.glt->transform.gt;
  const auto i = static_cast<Eigen::Index>((s.longitude(30, 25) - gt[0]) / gt[1]);
  const auto j = static_cast<Eigen::Index>((s.latitude(30, 25) - gt[3]) / gt[5]);
  INFO("GLT " << s.glt->x.rows() << " x " << s.glt->x.cols() << ", cell " << j << ", " << i);
  REQUIRE((i >= 0 && j >= 0 && i < s.glt->x.cols() && j < s.glt->x.rows()));
  CHECK(std::abs(s.glt->y(j, i) - 31) <= 1);
  CHECK(std::abs(s.glt->x(j, i) - 26) <= 1);

  // Quality layers as shipped; the ones a tile lacks are empty.
  sensor::EnmapL1bReader reader(zip);
  const Raster<std::uint8_t> cloud = reader.read_quality("CLOUD");
  REQUIRE(cloud.rows() == kRows);
  CHECK(cloud.cast<int>().sum() == 35);
  CHECK(cloud(12, 22) == 1);
  CHECK(reader.read_quality("SNOW").size() == 0);
  // What screening takes from them: the cloud flags (CLOUD, CLOUDSHADOW, SNOW), the cirrus
  // flags (CIRRUS, HAZE); the tile has only the first.
  const sensor::ShippedFlags flags = g->shipped_flags();
  REQUIRE(flags.cloud.rows() == kRows);
  CHECK(flags.cloud.cast<int>().sum() == 35);
  CHECK(flags.cirrus.size() == 0);

  // Instrument noise from the published SNR: sigma at the reference radiance = L_ref / SNR.
  const auto noise = g->band_noise(test::resources(), {150});
  REQUIRE(noise.a.size() == 1);
  CHECK(noise.a[0] > 0);
  CHECK(sensor::enmap_reference_snr(2200) == Approx(180));
  CHECK(sensor::enmap_reference_snr(495) == Approx(500));

  // An RPC sensor without a DEM setting is refused, naming the key.
  CHECK_THROWS_WITH(sensor::open_granule(zip)->read_geometry(), Catch::Matchers::Contains("paths.dem_dir"));
}

TEST_CASE("bad EnMAP tiles give one clear error naming the file and the item", "[sensor]") {
  test::TempDir dir("enmap_bad");
  const std::string good = write_tile(dir.path() / "good");
  auto bad = [&](const std::string& tag, const MemberEdit& edit) {
    const fs::path d = dir.path() / tag;
    fs::create_directories(d);
    const std::string out = (d / fs::path(good).filename()).string();
    rezip(good, out, edit);
    return out;
  };
  auto error_of = [](const std::string& zip) {
    try {
      sensor::open_granule(zip, {"none"});
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string no_xml = bad("no_xml", [](const std::string& n, std::string b) -> std::optional<std::string> {
    if (n.ends_with("-METADATA.XML")) return std::nullopt;
    return b;
  });
  CHECK_THAT(error_of(no_xml), Catch::Matchers::Contains("METADATA.XML") && Catch::Matchers::Contains(no_xml));

  const std::string no_gain = bad("no_gain", [](const std::string& n, std::string b) -> std::optional<std::string> {
    if (!n.ends_with("-METADATA.XML")) return b;
    const auto at = b.find("<bandID number=\"17\">");
    const auto g0 = b.find("<GainOfBand>", at), g1 = b.find("</GainOfBand>", at);
    b.erase(g0, g1 + 13 - g0);
    return b;
  });
  CHECK_THAT(error_of(no_gain), Catch::Matchers::Contains("band 17 GainOfBand"));

  const std::string truncated = bad("truncated", [](const std::string& n, std::string b) -> std::optional<std::string> {
    if (n.ends_with("SPECTRAL_IMAGE_SWIR.TIF")) b.resize(b.size() / 3);
    return b;
  });
  std::string why = error_of(truncated);
  if (why == "no error") {  // the header may survive: the pixels then cannot be read
    try {
      sensor::open_granule(truncated, {"none"})->read_radiance({200});
    } catch (const InputError& e) {
      why = e.what();
    }
  }
  CHECK_THAT(why, Catch::Matchers::Contains("SPECTRAL_IMAGE_SWIR.TIF"));

  const std::string garbage = (dir.path() / "ENMAP01-____L1B-DT0000004147_20221002T074833Z_003_V010501_20241110T222710Z.ZIP").string();
  { std::FILE* f = std::fopen(garbage.c_str(), "wb"); std::fputs("not a zip", f); std::fclose(f); }
  CHECK_THAT(error_of(garbage), Catch::Matchers::Contains("METADATA.XML"));
}

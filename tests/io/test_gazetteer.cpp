#include <catch2/catch.hpp>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/gazetteer.hpp>

#include "support/fixtures.hpp"

using namespace hyperplume;

namespace {

const io::Gazetteer& libgeonames() {
  static const io::Gazetteer g = io::Gazetteer::from_libgeonames();
  return g;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Three cities in GeoNames' 19-column layout; two sit on either side of the antimeridian.
const char* const three_cities =
    "5491487\tCarlsbad\tCarlsbad\t\t32.42067\t-104.22884\tP\tPPLA2\tUS\t\tNM\t015\t\t\t29810\t951"
    "\t952\tAmerica/Denver\t2019-09-19\n"
    "2198148\tLabasa\tLabasa\t\t-16.41667\t179.38333\tP\tPPLA\tFJ\t\t03\t\t\t\t27949\t\t7"
    "\tPacific/Fiji\t2012-01-17\n"
    "4034756\tMata-Utu\tMata-Utu\t\t-13.28163\t-176.17453\tP\tPPLC\tWF\t\t98613\t\t\t\t1200\t"
    "\t11\tPacific/Wallis\t2019-09-05\n";

}  // namespace

TEST_CASE("libgeonames places Carlsbad in New Mexico", "[io]") {
  const io::Gazetteer& g = libgeonames();
  CHECK(g.size() > 20000);
  const io::Place p = g.nearest(32.42, -104.23, 25.0);
  CHECK(p.country == "United States of America");
  CHECK(p.state == "New Mexico");
  CHECK(p.city == "Carlsbad");
  CHECK(g.nearest(52.52, 13.40, 25.0).city == "Berlin");
  CHECK(g.nearest(52.52, 13.40, 25.0).country == "Germany");
}

TEST_CASE("libgeonames names stay English in a translated environment", "[io]") {
  const std::string locale = std::setlocale(LC_MESSAGES, nullptr);
  const char* language = std::getenv("LANGUAGE");
  const std::string saved_language = language ? language : "";
  if (!std::setlocale(LC_MESSAGES, "C.UTF-8")) {
    WARN("no C.UTF-8 locale: cannot switch on libgeonames' translations");
    return;
  }
  ::setenv("LANGUAGE", "de", 1);
  const io::Place p = io::Gazetteer::from_libgeonames().nearest(52.52, 13.40, 25.0);
  std::setlocale(LC_MESSAGES, locale.c_str());
  if (language)
    ::setenv("LANGUAGE", saved_language.c_str(), 1);
  else
    ::unsetenv("LANGUAGE");
  CHECK(p.country == "Germany");  // not "Deutschland"
}

TEST_CASE("no city within the radius gives an empty place", "[io]") {
  const io::Gazetteer& g = libgeonames();
  const io::Place pacific = g.nearest(-40.0, -130.0, 500.0);
  CHECK(pacific.country.empty());
  CHECK(pacific.state.empty());
  CHECK(pacific.city.empty());
  // Carlsbad is 0.5 degrees of latitude (55 km) away: outside 40 km, inside 70 km.
  CHECK(g.nearest(31.92, -104.23, 40.0).city.empty());
  CHECK(g.nearest(31.92, -104.23, 70.0).city == "Carlsbad");
  CHECK(g.nearest(std::nan(""), -104.23, 70.0).city.empty());
}

TEST_CASE("a GeoNames dump names states and countries from the tables beside it", "[io]") {
  test::TempDir dir("gazetteer");
  write_file(dir.str("cities15000.txt"), three_cities);

  const auto codes = io::Gazetteer::from_geonames_file(dir.str("cities15000.txt"));
  CHECK(codes.size() == 3);
  const io::Place carlsbad = codes.nearest(32.42, -104.23, 10.0);
  CHECK(carlsbad.city == "Carlsbad");
  CHECK(carlsbad.state == "NM");
  CHECK(carlsbad.country == "US");

  write_file(dir.str("admin1CodesASCII.txt"),
             "US.NM\tNew Mexico\tNew Mexico\t5481136\nFJ.03\tNorthern\tNorthern\t4036648\n");
  write_file(dir.str("countryInfo.txt"),
             "# GeoNames country information\n"
             "#ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\n"
             "US\tUSA\t840\tUS\tUnited States\tWashington\n"
             "FJ\tFJI\t242\tFJ\tFiji\tSuva\n");
  const auto names = io::Gazetteer::from_geonames_file(dir.str("cities15000.txt"));
  const io::Place nm = names.nearest(32.42, -104.23, 10.0);
  CHECK(nm.state == "New Mexico");
  CHECK(nm.country == "United States");
  // Across the antimeridian Labasa is 77 km away, Mata-Utu over 500 km.
  const io::Place fiji = names.nearest(-16.4, -179.9, 200.0);
  CHECK(fiji.city == "Labasa");
  CHECK(fiji.state == "Northern");
  CHECK(fiji.country == "Fiji");
  // Codes missing from the tables stay codes.
  const io::Place wallis = names.nearest(-13.28, -176.17, 10.0);
  CHECK(wallis.city == "Mata-Utu");
  CHECK(wallis.state == "98613");
  CHECK(wallis.country == "WF");
}

TEST_CASE("a malformed GeoNames line is an input error naming file and line", "[io]") {
  test::TempDir dir("gazetteer");
  const std::string path = dir.str("cities500.txt");
  write_file(
      path, std::string(three_cities) + "123\tNowhere\tNowhere\t\tnorth\t10.0\tP\tPPL\tXX\t\t01\n");
  CHECK_THROWS_AS(io::Gazetteer::from_geonames_file(path), InputError);
  CHECK_THROWS_WITH(io::Gazetteer::from_geonames_file(path), Catch::Contains("cities500.txt") &&
                                                                 Catch::Contains("line 4") &&
                                                                 Catch::Contains("latitude"));

  write_file(path, "123\tShort\tShort\t\t10.0\t10.0\n");
  CHECK_THROWS_WITH(io::Gazetteer::from_geonames_file(path), Catch::Contains("cities500.txt") &&
                                                                 Catch::Contains("line 1") &&
                                                                 Catch::Contains("columns"));

  write_file(path, three_cities);
  write_file(dir.str("admin1CodesASCII.txt"), "US.NM\n");
  CHECK_THROWS_WITH(io::Gazetteer::from_geonames_file(path),
                    Catch::Contains("admin1CodesASCII.txt") && Catch::Contains("line 1"));

  CHECK_THROWS_WITH(io::Gazetteer::from_geonames_file(dir.str("missing.txt")),
                    Catch::Contains("missing.txt"));
}

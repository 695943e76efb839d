#pragma once
// Offline reverse geocoding: the country, state and city of a plume from the nearest city in
// a GeoNames list. HyperGas asks Nominatim over the network; HyperPlume never does. Names
// differ from Nominatim's (GeoNames says "United States of America", not "United States").
#include <cstddef>
#include <string>
#include <vector>

namespace hyperplume::io {

struct Place {
  std::string country, state, city;
};

class Gazetteer {
 public:
  // The towns compiled into Debian's libgeonames (24 361 in 0.3.0), with English names.
  static Gazetteer from_libgeonames();

  // A GeoNames dump such as cities500.txt (tab-separated: geonameid, name, asciiname,
  // alternatenames, latitude, longitude, feature class, feature code, country code, cc2,
  // admin1 code, ...). State and country names come from admin1CodesASCII.txt and
  // countryInfo.txt in the same directory when they are there; otherwise they are the codes.
  // Throws InputError naming the file (and line) when a file is unreadable or malformed.
  static Gazetteer from_geonames_file(const std::string& path);

  // The nearest city within radius_km along the great circle; an empty Place if none.
  Place nearest(double latitude, double longitude, double radius_km) const;

  std::size_t size() const { return cities_.size(); }

 private:
  struct City {
    double latitude, longitude;
    Place place;
  };
  explicit Gazetteer(std::vector<City> cities);

  std::vector<City> cities_;  // by latitude: a search only looks at the band it can reach
};

}  // namespace hyperplume::io

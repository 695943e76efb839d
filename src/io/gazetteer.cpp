#include <geonames.h>
#include <locale.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/geo/local_frame.hpp>
#include <hyperplume/io/gazetteer.hpp>
#include <memory>
#include <numbers>
#include <string_view>
#include <unordered_map>

namespace hyperplume::io {

namespace {

constexpr double earth_radius_km = 6371.0088;  // IUGG mean radius

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

// Lines of a GeoNames text file with their 1-based numbers; a CR of a CRLF file is dropped.
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path), in_(path) {
    if (!in_) throw InputError("cannot open the GeoNames file", ErrorContext{path_, {}, {}});
  }
  bool next(std::string& line) {
    if (!std::getline(in_, line)) {
      if (in_.bad()) throw InputError("cannot read the GeoNames file", ErrorContext{path_, {}, {}});
      return false;
    }
    ++number_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw InputError("line " + std::to_string(number_) + ": " + why, ErrorContext{path_, {}, {}});
  }

 private:
  std::string path_;
  std::ifstream in_;
  long number_ = 0;
};

// code -> name from admin1CodesASCII.txt ("US.NM\tNew Mexico\t...") or countryInfo.txt
// ("US\tUSA\t840\tUS\tUnited States\t..."); none when the file is not there.
std::unordered_map<std::string, std::string> read_names(const std::filesystem::path& path,
                                                        std::size_t name_column) {
  std::unordered_map<std::string, std::string> names;
  if (!std::filesystem::exists(path)) return names;
  LineReader reader(path.string());
  for (std::string line; reader.next(line);) {
    if (line.empty() || line.front() == '#') continue;
    const auto fields = split_tabs(line);
    if (fields.size() <= name_column || fields[0].empty())
      reader.fail("expected a code and a name in column " + std::to_string(name_column + 1));
    names.emplace(fields[0], fields[name_column]);
  }
  return names;
}

double parse_degrees(const LineReader& reader, std::string_view text, const char* what,
                     double limit) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !(std::abs(value) <= limit))
    reader.fail(std::string(what) + " '" + std::string(text) +
                "' is not a number of degrees in [-" + std::to_string(static_cast<int>(limit)) +
                ", " + std::to_string(static_cast<int>(limit)) + "]");
  return value;
}

std::string name_or_code(const std::unordered_map<std::string, std::string>& names,
                         const std::string& key, std::string_view code) {
  const auto it = names.find(key);
  return it == names.end() ? std::string(code) : it->second;
}

// libgeonames translates its names with gettext into the caller's language (LANGUAGE, LANG
// once the program has called setlocale): read them in the C locale so they are GeoNames'
// English names whatever the environment. Per thread, so other threads keep their locale.
class CLocaleOnThisThread {
 public:
  CLocaleOnThisThread()
      : c_(newlocale(LC_ALL_MASK, "C", locale_t{})), previous_(c_ ? uselocale(c_) : locale_t{}) {}
  ~CLocaleOnThisThread() {
    if (!c_) return;
    uselocale(previous_);
    freelocale(c_);
  }
  CLocaleOnThisThread(const CLocaleOnThisThread&) = delete;
  CLocaleOnThisThread& operator=(const CLocaleOnThisThread&) = delete;

 private:
  locale_t c_, previous_;
};

}  // namespace

Gazetteer::Gazetteer(std::vector<City> cities) : cities_(std::move(cities)) {
  std::sort(cities_.begin(), cities_.end(),
            [](const City& a, const City& b) { return a.latitude < b.latitude; });
}

Gazetteer Gazetteer::from_libgeonames() {
  const CLocaleOnThisThread untranslated;
  const auto text = [](const gchar* s) { return s ? std::string(s) : std::string(); };
  const gint count = geonames_get_n_cities();
  std::vector<City> cities;
  cities.reserve(static_cast<std::size_t>(std::max(count, 0)));
  for (gint i = 0; i < count; ++i) {
    const std::unique_ptr<GeonamesCity, void (*)(GeonamesCity*)> city(geonames_get_city(i),
                                                                      geonames_city_free);
    if (!city) continue;
    cities.push_back({geonames_city_get_latitude(city.get()),
                      geonames_city_get_longitude(city.get()),
                      Place{text(geonames_city_get_country(city.get())),
                            text(geonames_city_get_state(city.get())),
                            text(geonames_city_get_name(city.get()))}});
  }
  if (cities.empty()) throw InputError("libgeonames has no cities");
  return Gazetteer(std::move(cities));
}

Gazetteer Gazetteer::from_geonames_file(const std::string& path) {
  LineReader reader(path);
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const auto states = read_names(dir / "admin1CodesASCII.txt", 1);
  const auto countries = read_names(dir / "countryInfo.txt", 4);

  constexpr std::size_t name = 1, latitude = 4, longitude = 5, country = 8, admin1 = 10;
  std::vector<City> cities;
  for (std::string line; reader.next(line);) {
    if (line.empty()) continue;
    const auto fields = split_tabs(line);
    if (fields.size() <= admin1)
      reader.fail("expected at least " + std::to_string(admin1 + 1) +
                  " tab-separated columns, found " + std::to_string(fields.size()));
    const std::string country_code(fields[country]);
    cities.push_back({parse_degrees(reader, fields[latitude], "latitude", 90.0),
                      parse_degrees(reader, fields[longitude], "longitude", 180.0),
                      Place{name_or_code(countries, country_code, country_code),
                            name_or_code(states, country_code + "." + std::string(fields[admin1]),
                                         fields[admin1]),
                            std::string(fields[name])}});
  }
  if (cities.empty())
    throw InputError("the GeoNames file has no cities", ErrorContext{path, {}, {}});
  return Gazetteer(std::move(cities));
}

Place Gazetteer::nearest(double latitude, double longitude, double radius_km) const {
  if (!std::isfinite(latitude) || !std::isfinite(longitude) || !(radius_km >= 0)) return {};
  // No city further in latitude than the radius can be within it.
  const double reach = radius_km / earth_radius_km * (180.0 / std::numbers::pi);  // degrees
  const auto by_latitude = [](const City& c, double lat) { return c.latitude < lat; };
  auto it = std::lower_bound(cities_.begin(), cities_.end(), latitude - reach, by_latitude);
  const City* best = nullptr;
  double best_km = radius_km;
  for (; it != cities_.end() && it->latitude <= latitude + reach; ++it) {
    const double km = earth_radius_km * geo::central_angle(latitude, longitude, it->latitude, it->longitude);
    if (km <= best_km) {
      best_km = km;
      best = &*it;
    }
  }
  return best ? best->place : Place{};
}

}  // namespace hyperplume::io

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/time.hpp>
#include <regex>

namespace hyperplume {

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy =
      (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}
}  // namespace

UtcTime UtcTime::from_civil(const CivilTime& c) {
  const double days = static_cast<double>(days_from_civil(c.year, c.month, c.day));
  return from_unix(days * 86400.0 + c.hour * 3600.0 + c.minute * 60.0 + c.second);
}

CivilTime UtcTime::civil() const {
  const double day_floor = std::floor(unix_ / 86400.0);
  CivilTime c;
  civil_from_days(static_cast<std::int64_t>(day_floor), c.year, c.month, c.day);
  double rem = unix_ - day_floor * 86400.0;
  c.hour = static_cast<int>(rem / 3600.0);
  rem -= c.hour * 3600.0;
  c.minute = static_cast<int>(rem / 60.0);
  c.second = rem - c.minute * 60.0;
  return c;
}

int UtcTime::day_of_year() const {
  const CivilTime c = civil();
  return static_cast<int>(days_from_civil(c.year, c.month, c.day) - days_from_civil(c.year, 1, 1)) +
         1;
}

double UtcTime::utc_hours() const {
  const double rem = unix_ - std::floor(unix_ / 86400.0) * 86400.0;
  return rem / 3600.0;
}

UtcTime UtcTime::parse_iso8601(std::string_view text) {
  static const std::regex re(
      R"(^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$)");
  std::cmatch m;
  if (!std::regex_match(text.begin(), text.end(), m, re))
    throw InputError("not an ISO-8601 time: '" + std::string(text) + "'");
  CivilTime c;
  c.year = std::stoi(m[1]);
  c.month = std::stoi(m[2]);
  c.day = std::stoi(m[3]);
  if (m[4].matched) c.hour = std::stoi(m[4]);
  if (m[5].matched) c.minute = std::stoi(m[5]);
  if (m[6].matched) c.second = std::stod(m[6]);
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31 || c.hour > 23 || c.minute > 59 ||
      c.second >= 61.0)
    throw InputError("time out of range: '" + std::string(text) + "'");
  UtcTime t = from_civil(c);
  if (m[7].matched && m[7].str() != "Z") {
    std::string off = m[7].str();
    const int sign = off[0] == '-' ? -1 : 1;
    off.erase(std::remove(off.begin(), off.end(), ':'), off.end());
    const int hh = std::stoi(off.substr(1, 2)), mm = std::stoi(off.substr(3, 2));
    t = t.plus_seconds(-sign * (hh * 3600.0 + mm * 60.0));
  }
  return t;
}

namespace {
CivilTime whole_seconds(const UtcTime& t) {
  return UtcTime::from_unix(std::floor(t.unix_seconds())).civil();
}
}  // namespace

std::string UtcTime::iso8601() const {
  const CivilTime c = whole_seconds(*this);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+0000", c.year, c.month, c.day,
                c.hour, c.minute, static_cast<int>(c.second));
  return buf;
}

std::string UtcTime::compact() const {
  const CivilTime c = whole_seconds(*this);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", c.year, c.month, c.day, c.hour,
                c.minute, static_cast<int>(c.second));
  return buf;
}

std::string UtcTime::date_compact() const { return compact().substr(0, 8); }

}  // namespace hyperplume

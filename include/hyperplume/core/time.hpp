#pragma once
// UTC instants with second resolution plus a fractional part, and the civil-calendar
// conversions the products need (libstdc++ 12 has no chrono::parse/format).
#include <cstdint>
#include <string>
#include <string_view>

namespace hyperplume {

struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0;
  double second = 0.0;
};

class UtcTime {
 public:
  UtcTime() = default;
  static UtcTime from_unix(double seconds) {
    UtcTime t;
    t.unix_ = seconds;
    return t;
  }
  static UtcTime from_civil(const CivilTime& c);
  // Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff][Z|+hhmm|+hh:mm]" and the space form.
  // A timezone offset is applied; throws InputError on anything else.
  static UtcTime parse_iso8601(std::string_view text);

  double unix_seconds() const { return unix_; }
  CivilTime civil() const;
  int day_of_year() const;
  // Fractional hours since 00:00 UTC of the same day.
  double utc_hours() const;
  UtcTime plus_seconds(double s) const { return from_unix(unix_ + s); }

  std::string iso8601() const;       // 2023-08-14T10:08:19+0000 (EMIT style)
  std::string compact() const;       // 20230814T100819
  std::string date_compact() const;  // 20230814

  friend bool operator<(const UtcTime& a, const UtcTime& b) { return a.unix_ < b.unix_; }
  friend bool operator==(const UtcTime& a, const UtcTime& b) { return a.unix_ == b.unix_; }

 private:
  double unix_ = 0.0;
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d);

}  // namespace hyperplume

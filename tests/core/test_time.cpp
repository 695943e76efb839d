#include <catch2/catch.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/time.hpp>

using namespace hyperplume;

TEST_CASE("UTC times parse the EMIT and ISO forms and print them back", "[core]") {
  const UtcTime t = UtcTime::parse_iso8601("2023-08-14T10:08:19+0000");
  CHECK(t.unix_seconds() == 1692007699.0);
  CHECK(t.iso8601() == "2023-08-14T10:08:19+0000");
  CHECK(t.compact() == "20230814T100819");
  CHECK(t.day_of_year() == 226);
  CHECK(UtcTime::parse_iso8601("2023-08-14T12:08:19+02:00") == t);
  CHECK(UtcTime::parse_iso8601("2023-08-14 10:08:19Z") == t);
  CHECK(UtcTime::parse_iso8601("2024-12-31").day_of_year() == 366);
  CHECK(UtcTime::parse_iso8601("2023-08-14T10:30:00").utc_hours() == Approx(10.5));
}

TEST_CASE("malformed times are input errors naming the text", "[core]") {
  CHECK_THROWS_WITH(UtcTime::parse_iso8601("14/08/2023"), Catch::Contains("14/08/2023"));
  CHECK_THROWS_AS(UtcTime::parse_iso8601("2023-13-01"), InputError);
}

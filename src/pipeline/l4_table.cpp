#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/atomic_file.hpp>
#include <hyperplume/pipeline/l4_table.hpp>
#include <set>

namespace hyperplume::pipeline {

const std::vector<std::string>& l4_columns() {
  static const std::vector<std::string> c = {"plume_id",
                                             "plume_latitude",
                                             "plume_longitude",
                                             "datetime",
                                             "country",
                                             "state",
                                             "city",
                                             "name",
                                             "ipcc_sector",
                                             "gas",
                                             "plume_bounds",
                                             "instrument",
                                             "platform",
                                             "provider",
                                             "emission",
                                             "emission_uncertainty",
                                             "emission_uncertainty_random",
                                             "emission_uncertainty_wind",
                                             "emission_uncertainty_calibration",
                                             "emission_cm",
                                             "emission_fetch",
                                             "emission_fetch_uncertainty",
                                             "emission_fetch_uncertainty_ime",
                                             "emission_fetch_uncertainty_wind",
                                             "emission_csf",
                                             "emission_csf_uncertainty",
                                             "emission_csf_uncertainty_random",
                                             "emission_csf_uncertainty_wind",
                                             "emission_csf_uncertainty_calibration",
                                             "surface_pressure",
                                             "wind_source",
                                             "wind_speed",
                                             "wind_direction",
                                             "ime",
                                             "l_ime",
                                             "ueff_ime",
                                             "leff_ime",
                                             "ime_cm",
                                             "l_cm",
                                             "ueff_csf",
                                             "n_csf",
                                             "l_csf",
                                             "alpha1",
                                             "alpha2",
                                             "alpha3",
                                             "beta1",
                                             "beta2",
                                             "wind_speed_all",
                                             "wind_direction_all",
                                             "wind_source_all",
                                             "azimuth_diff_max",
                                             "dist_max",
                                             "land_only",
                                             "land_mask_source",
                                             "version",
                                             // HyperPlume's own, after HyperGas's columns:
                                             // a measured wind speed used instead of the
                                             // reanalysis (m/s; empty: none).
                                             "wind_speed_manual",
                                             // who placed the marker: file (an analyst)
                                             // or auto (the detector).
                                             "marker_origin"};
  return c;
}

std::string l4_number(double value) {
  if (!std::isfinite(value)) return "";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

std::string l4_list(const std::vector<double>& values, bool python) {
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) s += ", ";
    const std::string n = l4_number(values[i]);
    s += n.empty() ? (python ? "nan" : "null") : n;
  }
  return s + "]";
}

std::string l4_list(const std::vector<std::string>& values, bool python) {
  const char q = python ? '\'' : '"';
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + (q + values[i] + q);
  return s + "]";
}

std::string csv_cell(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string s = "\"";
  for (char c : v) s += c == '"' ? std::string("\"\"") : std::string(1, c);
  return s + "\"";
}

namespace {

std::string header_line() {
  std::string h;
  for (const auto& c : l4_columns()) h += (h.empty() ? "" : ",") + c;
  return h;
}
}  // namespace

void write_l4_csv(const std::string& path, const std::map<std::string, std::string>& cells) {
  std::string row;
  for (const auto& c : l4_columns()) {
    const auto it = cells.find(c);
    if (it == cells.end()) throw InternalError("L4 column '" + c + "' has no value");
    row += (row.empty() ? "" : ",") + csv_cell(it->second);
  }
  if (cells.size() != l4_columns().size())
    throw InternalError("an L4 row has values for unknown columns");
  io::write_text_atomically(path, header_line() + "\n" + row + "\n");
}

namespace {
// The cells of one CSV record (RFC 4180); false if a quoted cell is not closed.
bool split_csv_record(const std::string& line, std::vector<std::string>& cells) {
  cells.assign(1, "");
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return !quoted;
}
}  // namespace

std::vector<std::map<std::string, std::string>> read_csv_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot read the table", ErrorContext{path, {}, {}});
  std::string header;
  std::vector<std::string> names, cells;
  if (!std::getline(in, header) || !split_csv_record(header, names))
    throw InputError("not a CSV table (no header)", ErrorContext{path, {}, {}});
  std::vector<std::map<std::string, std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (!split_csv_record(line, cells) || names.size() != cells.size())
      throw InputError("malformed table: row " + std::to_string(rows.size() + 1) + " has " +
                           std::to_string(cells.size()) + " cells under " + std::to_string(names.size()) +
                           " columns",
                       ErrorContext{path, {}, {}});
    auto& row = rows.emplace_back();
    for (std::size_t i = 0; i < names.size(); ++i) row[names[i]] = cells[i];
  }
  return rows;
}

std::map<std::string, std::string> read_l4_csv(const std::string& path) {
  auto rows = read_csv_table(path);
  if (rows.empty()) throw InputError("not an L4 table (no row)", ErrorContext{path, {}, {}});
  return std::move(rows.front());
}

void merge_l4_tables(const std::vector<L4Source>& sources, const std::string& out_path) {
  const std::string header = header_line();
  std::vector<std::pair<std::string, std::string>> rows;  // plume_id, line
  for (const auto& s : sources) {
    std::ifstream in(s.csv_path);
    std::string h, line;
    if (!std::getline(in, h) || h != header || !std::getline(in, line) || line.empty())
      throw InputError("not an L4 table of this version (header or row missing)",
                       ErrorContext{s.csv_path, {}, {}});
    rows.emplace_back(line.substr(0, line.find(',')), line + "," + csv_cell(s.l2_file));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text = header + ",l2_file\n";
  for (const auto& r : rows) text += r.second + "\n";
  io::write_text_atomically(out_path, text);
}

double l4_cell_number(const std::map<std::string, std::string>& row, const std::string& column) {
  const auto it = row.find(column);
  if (it == row.end() || it->second.empty()) return std::nan("");
  try {
    return std::stod(it->second);
  } catch (const std::exception&) {
    return std::nan("");
  }
}

}  // namespace hyperplume::pipeline

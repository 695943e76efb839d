#pragma once
// The L4 CSV: one row per plume with HyperGas's columns in HyperGas's order (spec §6.2:
// the documented 48, the extra ones it writes, and `version`), and the campaign table that
// merges every plume's row.
#include <map>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

const std::vector<std::string>& l4_columns();

// Cell formatting: numbers in the shortest form that reads back to the same double (empty
// for NaN, as pandas writes it); lists as JSON arrays, or Python reprs for the hypergas
// profile.
std::string l4_number(double value);
std::string l4_list(const std::vector<double>& values, bool python);
std::string l4_list(const std::vector<std::string>& values, bool python);
// RFC 4180: a cell holding a separator, a quote or a line break is quoted, quotes doubled.
std::string csv_cell(const std::string& value);

// Writes header + one row atomically. InternalError if a column is missing or unknown.
void write_l4_csv(const std::string& path, const std::map<std::string, std::string>& cells);

// One plume's L4 CSV as column -> cell (RFC 4180 quoting undone). InputError naming the
// file when it is unreadable, has no row, or a row whose cells do not match the header.
std::map<std::string, std::string> read_l4_csv(const std::string& path);
// A numeric cell of such a row; NaN when the column is missing, empty (pandas' NaN) or not a
// number.
double l4_cell_number(const std::map<std::string, std::string>& row, const std::string& column);
// Every row of a CSV table (header + rows), as column -> cell.
std::vector<std::map<std::string, std::string>> read_csv_table(const std::string& path);

struct L4Source {
  std::string l2_file;   // the L2 file name, recorded in the merged table
  std::string csv_path;  // a plume's L4 CSV
};
// Every plume's row, sorted by plume_id, with an `l2_file` column added; atomically.
// InputError naming a CSV that is not an L4 table.
void merge_l4_tables(const std::vector<L4Source>& sources, const std::string& out_path);

}  // namespace hyperplume::pipeline

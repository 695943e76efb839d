#pragma once
// Whitespace-separated numeric tables with '#' comment lines (solar spectra, noise models,
// libRadtran output).
#include <string>
#include <vector>

namespace hyperplume::io {

struct TextTable {
  std::vector<std::vector<double>> columns;  // columns[c][row]
  std::size_t rows() const { return columns.empty() ? 0 : columns[0].size(); }
};

// Every data row must have at least min_columns numbers; throws InputError naming the
// file and line otherwise.
TextTable read_text_table(const std::string& path, std::size_t min_columns);

}  // namespace hyperplume::io

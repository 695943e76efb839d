#include <cstdlib>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/text_table.hpp>
#include <sstream>

namespace hyperplume::io {

TextTable read_text_table(const std::string& path, std::size_t min_columns) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open text table", ErrorContext{path, {}, {}});
  TextTable t;
  std::string line;
  std::size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream ls(line);
    std::vector<double> row;
    std::string tok;
    while (ls >> tok) {
      char* end = nullptr;
      const double v = std::strtod(tok.c_str(), &end);
      if (end == tok.c_str() || *end != '\0') break;  // trailing text ends the numeric part
      row.push_back(v);
    }
    if (row.size() < min_columns)
      throw InputError("line " + std::to_string(lineno) + " has " + std::to_string(row.size()) +
                           " numbers, expected at least " + std::to_string(min_columns),
                       ErrorContext{path, {}, {}});
    if (t.columns.empty()) t.columns.resize(min_columns);
    for (std::size_t c = 0; c < min_columns; ++c) t.columns[c].push_back(row[c]);
  }
  if (t.rows() == 0) throw InputError("text table has no data rows", ErrorContext{path, {}, {}});
  return t;
}

}  // namespace hyperplume::io

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <hyperplume/core/error.hpp>
#include <hyperplume/core/log.hpp>
#include <hyperplume/pipeline/journal.hpp>
#include <sstream>

namespace hyperplume::pipeline {
namespace fs = std::filesystem;

namespace {
std::string single_line(std::string s) {
  for (char& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return s;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : single_line(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// A complete event: what to_json writes, with the two keys every event has.
bool is_event(const std::string& line, Record* out) {
  if (line.size() < 2 || line.front() != '{' || line.back() != '}') return false;
  Record r = from_json(line);
  if (!r.count("scene") || !r.count("event")) return false;
  if (out) *out = std::move(r);
  return true;
}

std::string system_reason() { return std::strerror(errno); }
}  // namespace

std::string to_json(const Record& r) {
  std::string out = "{";
  for (const auto& [k, v] : r)
    out += (out.size() > 1 ? ", " : "") + ("\"" + json_escape(k) + "\": \"" + json_escape(v) + "\"");
  return out + "}";
}

Record from_json(const std::string& line) {
  Record r;
  std::size_t i = 0;
  auto read_string = [&](std::string& s) {
    if (i >= line.size() || line[i] != '"') return false;
    ++i;
    while (i < line.size() && line[i] != '"') {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      s += line[i++];
    }
    if (i >= line.size()) return false;  // unterminated: a torn line
    ++i;
    return true;
  };
  while (i < line.size()) {
    while (i < line.size() && line[i] != '"') ++i;
    if (i >= line.size()) break;
    std::string k, v;
    if (!read_string(k)) return {};
    while (i < line.size() && line[i] != '"') ++i;
    if (!read_string(v)) return {};
    r[k] = v;
  }
  return r;
}

std::string encode(const Record& r) {
  std::string out;
  for (const auto& [k, v] : r) out += single_line(k) + "\t" + single_line(v) + "\n";
  return out;
}

Record decode(const std::string& text) {
  Record r;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos) r[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return r;
}

std::vector<Record> read_journal_events(const std::string& path) {
  std::vector<Record> events;
  std::ifstream in(path);
  std::string line;
  Record e;
  while (std::getline(in, line))
    if (is_event(line, &e)) events.push_back(std::move(e));
  return events;
}

std::size_t repair_journal_tail(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read the campaign journal: " + system_reason(), ErrorContext{path, {}, {}});
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.empty()) return 0;
  // The last line that ends in a newline and is a complete event ends the good part.
  std::size_t good = text.size();
  if (text.back() == '\n') {
    const std::size_t start = text.rfind('\n', text.size() - 2);
    const std::string last = text.substr(start == std::string::npos ? 0 : start + 1,
                                         text.size() - 1 - (start == std::string::npos ? 0 : start + 1));
    if (is_event(last, nullptr) || last.empty()) return 0;
    good = start == std::string::npos ? 0 : start + 1;
  } else {
    const std::size_t nl = text.rfind('\n');
    good = nl == std::string::npos ? 0 : nl + 1;
  }
  const std::size_t removed = text.size() - good;
  fs::resize_file(path, good, ec);
  if (ec)
    throw InputError("cannot cut the torn last line off the campaign journal: " + ec.message(),
                     ErrorContext{path, {}, {}});
  log::warn("run: the journal's last line was incomplete (", removed,
            " bytes, from a job that was killed or ran out of disk); removed: ", path);
  return removed;
}

Journal::Journal(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "a");
  if (!file_)
    throw InputError("cannot open the campaign journal for appending: " + system_reason(),
                     ErrorContext{path, {}, {}});
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

void Journal::append(const Record& event) {
  const std::string line = to_json(event) + "\n";
  errno = 0;
  // fflush hands the line to the kernel: a killed job loses nothing already recorded.
  if (std::fputs(line.c_str(), file_) < 0 || std::fflush(file_) != 0) {
    const std::string reason = errno ? system_reason() : "write failed";
    std::clearerr(file_);
    throw InputError("cannot append to the campaign journal: " + reason, ErrorContext{path_, {}, {}});
  }
}

}  // namespace hyperplume::pipeline

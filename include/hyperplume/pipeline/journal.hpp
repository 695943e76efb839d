#pragma once
// The campaign journal: one flat JSON object per line, appended and flushed at every state
// change of a scene, so a job killed at any moment loses nothing it had recorded. A line torn
// by a kill (or a full disk) is cut off before the next run appends, never glued onto.
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace hyperplume::pipeline {

// Flat string keys and values: what workers report and what the journal stores.
using Record = std::map<std::string, std::string>;

std::string to_json(const Record& record);
// Parses one line written by to_json; an empty record for anything else.
Record from_json(const std::string& line);

// "key\tvalue" lines: how a worker's result travels to rank 0.
std::string encode(const Record& record);
Record decode(const std::string& text);

// Every complete event of the journal, in order ({} when the file does not exist).
std::vector<Record> read_journal_events(const std::string& path);

// Cuts an incomplete last line (no newline, or not a complete event) off the journal, so
// the next append starts on a line of its own. Returns the number of bytes removed (0 when
// the journal was whole). Throws InputError naming the file when it cannot be repaired.
std::size_t repair_journal_tail(const std::string& path);

// Appends events; every append reaches the kernel before it returns. Throws InputError
// naming the file and the system's reason (e.g. "No space left on device") when the
// journal cannot be opened or written: the campaign cannot go on without its record.
class Journal {
 public:
  explicit Journal(const std::string& path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  void append(const Record& event);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
};

}  // namespace hyperplume::pipeline

#pragma once
// Finds the L1 granules under a root directory, recursively, in a deterministic order, and
// says what it passed over and why.
//
// The walk never throws once the root is open: an entry it cannot use (a symbolic link loop,
// a dangling link, a directory it cannot read, a file named almost like a granule) is
// skipped with a warning in the log and returned with its reason, so one bad entry in a
// campaign tree cannot hide the others. Symbolic links to directories are not followed —
// that is what keeps a link to an ancestor from making the walk endless; links to files are
// used like the files.
#include <string>
#include <vector>

namespace hyperplume::sensor {

struct L1Granule {
  std::string path;    // the file the reader opens (EMIT: the RAD file)
  std::string sensor;  // "EMIT"
};

// An entry the walk did not take.
struct SkippedEntry {
  std::string path;
  std::string reason;  // one line, e.g. "symbolic link loop"
};

struct L1Discovery {
  std::vector<L1Granule> granules;     // sorted by path
  std::vector<SkippedEntry> skipped;   // sorted by path
};

// Skipped without a report, being expected beside granules: HyperPlume's partial outputs
// (.NAME.partial-PID), truth sidecars (<granule stem>_truth.nc) and every file whose name
// does not look like a granule. Reported: names that look like a radiance granule but do
// not match the strict pattern (EMIT_L1B_RAD_<vvv>_<yyyymmddThhmmss>_<ooooooo>_<sss>.nc,
// e.g. a .nc.bak copy), directories and other non-files with a granule's name, dangling
// links, link loops, links to directories, and directories that cannot be read. Throws
// InputError only if root is not a directory.
L1Discovery discover_l1_granules(const std::string& root);

// The granules of discover_l1_granules (its warnings still go to the log).
std::vector<L1Granule> find_l1_granules(const std::string& root);

}  // namespace hyperplume::sensor

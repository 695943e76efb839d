#include "fuzz_entries.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/core/error.hpp>
#include <hyperplume/io/source_markers.hpp>
#include <hyperplume/pipeline/l4_table.hpp>

namespace hyperplume::fuzz {
namespace fs = std::filesystem;

namespace {

std::string& rejection() {
  static std::string text;
  return text;
}

// The parsers take paths: the input goes to a file of this process in the temporary
// directory, removed again whatever the parser does short of crashing.
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::uint8_t* data, std::size_t size)
      : path_(fs::temp_directory_path() /
              ("hyperplume-fuzz-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) throw std::runtime_error("fuzz: cannot write " + path_.string());
  }
  ~ScratchFile() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

template <class Parse>
Outcome run(Parse&& parse) {
  try {
    parse();
    return Outcome::parsed;
  } catch (const InputError& e) {
    rejection() = e.what();
    return Outcome::rejected;
  }
}

}  // namespace

Outcome config_ini(const std::uint8_t* data, std::size_t size) {
  static const app::ConfigOptions options;
  static const app::po::options_description all = [] {
    app::po::options_description d;
    d.add(options.general()).add(options.keys());
    return d;
  }();
  const ScratchFile file("config.ini", data, size);
  return run([&] {
    app::po::variables_map vm;
    app::po::store(app::po::command_line_parser(std::vector<std::string>{"--config", file.str()})
                       .options(all)
                       .run(),
                   vm);
    app::po::notify(vm);
    options.resolve(vm);
  });
}

Outcome source_markers(const std::uint8_t* data, std::size_t size) {
  const ScratchFile file("markers.geojson", data, size);
  return run([&] { io::read_source_markers(file.str()); });
}

Outcome l4_csv(const std::uint8_t* data, std::size_t size) {
  const ScratchFile file("plume0.csv", data, size);
  const ScratchFile merged("merged.csv", nullptr, 0);
  return run([&] { pipeline::merge_l4_tables({{"EMIT_L2B_fuzz.nc", file.str()}}, merged.str()); });
}

const std::vector<Target>& targets() {
  static const std::vector<Target> t{
      {"config_ini", &config_ini}, {"source_markers", &source_markers}, {"l4_csv", &l4_csv}};
  return t;
}

const std::string& last_rejection() { return rejection(); }

}  // namespace hyperplume::fuzz

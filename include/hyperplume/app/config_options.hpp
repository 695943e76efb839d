#pragma once
// Boost.Program_options for everything in config/hyperplume.ini. Any key can be given on
// the command line too (--species.ch4.window "2110 2450"); precedence is
// command line > --config-overlay files (first wins) > --config file > built-in defaults.
#include <boost/program_options.hpp>
#include <hyperplume/core/config.hpp>
#include <string>
#include <vector>

namespace hyperplume::app {

namespace po = boost::program_options;

class ConfigOptions {
 public:
  ConfigOptions();
  // --config, --config-overlay, --resources, --log-level.
  const po::options_description& general() const { return general_; }
  // Every configuration key, with its built-in default.
  const po::options_description& keys() const { return keys_; }

  // Reads the config files named in `vm` (after the command line was stored in it) and
  // returns the validated configuration. Throws UsageError naming the file, option or key.
  Config resolve(po::variables_map& vm) const;

  // The default config file: <source tree>/config/hyperplume.ini.
  static std::string default_config_file();

 private:
  po::options_description general_{"General options"};
  po::options_description keys_{
      "Configuration keys (config/hyperplume.ini; any can be overridden here)"};
  po::options_description file_keys_;  // the same keys, as read from files
};

// "2110 2450", "2110, 2450" or "[2110, 2450]" -> finite numbers; UsageError naming `key`.
std::vector<double> parse_number_list(const std::string& key, const std::string& text);

}  // namespace hyperplume::app

#pragma once
#include <boost/program_options.hpp>
#include <hyperplume/app/config_options.hpp>
#include <hyperplume/core/config.hpp>
#include <string>
#include <vector>

namespace hyperplume::app {

// A subcommand: declares its options, then runs with them and the resolved config.
class Command {
 public:
  virtual ~Command() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  virtual void declare(po::options_description& options) = 0;
  virtual int execute(const po::variables_map& vm, const Config& config) = 0;

  // Parses args, prints --help, resolves the configuration, sets the log level, executes.
  int main(const std::vector<std::string>& args);
};

}  // namespace hyperplume::app

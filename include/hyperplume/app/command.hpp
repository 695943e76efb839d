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
  // True for commands that poll for a stop signal and stop politely (run, validate); the
  // others get the signals' default actions back.
  virtual bool stops_on_signal() const { return false; }
  // False for commands that never communicate (the pictures): MPI is then not started,
  // which alone costs a process about 0.3 s.
  virtual bool uses_mpi() const { return true; }

  // Parses args, prints --help, resolves the configuration, sets the log level, executes.
  // Exit code 2 (kExitUsage) for a bad command line, configuration or option value
  // (po::error, UsageError, or any InputError while resolving the configuration).
  int main(const std::vector<std::string>& args);

 private:
  // Prints the message with a pointer to --help; returns kExitUsage.
  int usage_failure(const std::string& message) const;
};

}  // namespace hyperplume::app

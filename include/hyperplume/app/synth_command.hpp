#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

#include <string>
#include <vector>

// --sensor emit,enmap: the instruments of a synthetic campaign (UsageError for an unknown one).
std::vector<std::string> sensor_choice(const std::string& text);

// hyperplume synth --out DIR ...: a synthetic campaign with its truth and ancillary files.
class SynthCommand : public Command {
 public:
  std::string name() const override { return "synth"; }
  std::string summary() const override {
    return "write a synthetic L1 campaign (EMIT, EnMAP) with truth and ancillary files";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app

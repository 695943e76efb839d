#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume synth --out DIR ...: a synthetic EMIT campaign with its truth and ancillary files.
class SynthCommand : public Command {
 public:
  std::string name() const override { return "synth"; }
  std::string summary() const override {
    return "write a synthetic EMIT L1B campaign with truth and ancillary files";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app

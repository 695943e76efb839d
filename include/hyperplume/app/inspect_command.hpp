#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume inspect --root DIR: reads every L1 granule under DIR and prints a summary line.
class InspectCommand : public Command {
 public:
  std::string name() const override { return "inspect"; }
  std::string summary() const override {
    return "read every L1 scene under a directory and summarise it";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app

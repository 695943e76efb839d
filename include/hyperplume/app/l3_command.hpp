#pragma once
#include <hyperplume/app/command.hpp>

namespace hyperplume::app {

// hyperplume l3 --root DIR ...: L3/L4 for every <L2 stem>.geojson marker file under DIR.
class L3Command : public Command {
 public:
  std::string name() const override { return "l3"; }
  std::string summary() const override {
    return "plume masks (L3) and emission rates (L4) for every marked L2 product under a "
           "directory";
  }
  void declare(po::options_description& options) override;
  int execute(const po::variables_map& vm, const Config& config) override;
};

}  // namespace hyperplume::app

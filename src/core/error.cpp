#include <hyperplume/core/error.hpp>

namespace hyperplume {

Error::Error(std::string message, ErrorContext context, std::source_location where)
    : message_(std::move(message)), context_(std::move(context)), where_(where) {
  render();
}

Error& Error::add_file(const std::string& file) {
  if (context_.file.empty()) context_.file = file;
  render();
  return *this;
}

Error& Error::add_scene(const std::string& scene) {
  if (context_.scene.empty()) context_.scene = scene;
  render();
  return *this;
}

Error& Error::add_stage(const std::string& stage) {
  if (context_.stage.empty()) context_.stage = stage;
  render();
  return *this;
}

// "[stage] scene: file: message": stage first so a log line reads like a path into the chain.
void Error::render() {
  what_.clear();
  if (!context_.stage.empty()) what_ += "[" + context_.stage + "] ";
  if (!context_.scene.empty()) what_ += context_.scene + ": ";
  if (!context_.file.empty()) what_ += context_.file + ": ";
  what_ += message_;
}

}  // namespace hyperplume

#pragma once
// Version and git commit, generated at configure time (src/core/version.cpp.in) so that a
// new commit recompiles one file, not the library.
namespace hyperplume {
const char* version();
const char* git_commit();
}  // namespace hyperplume

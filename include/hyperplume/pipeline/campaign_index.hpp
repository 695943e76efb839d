#pragma once
// The campaign's index page: every scene with its state from the journal, every plume with
// its emission rate (IME and CSF, ± 1 sigma) from its L4 table, and links to the scene maps
// and plume figures that exist. Plain HTML, relative links: opens from the campaign directory.
#include <string>

namespace hyperplume::pipeline {

// <out_dir>/campaign_index.html from <out_dir>/hyperplume_journal.jsonl; `root` is the
// campaign root the journal's paths are relative to. Returns the page's path. InputError
// naming the journal when there is none.
std::string write_campaign_index(const std::string& out_dir, const std::string& root);

}  // namespace hyperplume::pipeline

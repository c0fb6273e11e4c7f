// An Ubuntu tree's annotations file as `config export/import/diff/check/
// resolve` use it: loaded with the tree, its flavours checked against the
// `# FLAVOUR:` header, a .config imported into it, two flavours compared.
#pragma once

#include "base/edit_set.hpp"
#include "base/error.hpp"
#include "tree/annotations.hpp"
#include "tree/tree.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kf {

struct LoadedAnnotations {
    Tree tree;
    Annotations annotations;
    std::string text;  // the file as read: the `before` of an edit
};

// An Ubuntu tree (open_tree's) and its annotations; bad input for another kind.
Result<LoadedAnnotations> load_annotations(Tree tree);

// Bad input unless the header lists `arch` and its `flavour`: Ubuntu's tool
// silently drops keys of flavours it doesn't list, so an import would vanish.
Status require_annotations_flavour(const LoadedAnnotations& l, const std::string& arch, const std::string& flavour);

// `config import`: `config_file`'s settings become (arch, flavour)'s in the
// annotations. The edit is applied unless `dry_run`; returned either way.
Result<EditSet> import_config_file(LoadedAnnotations& l, const std::string& arch, const std::string& flavour,
                                   const std::filesystem::path& config_file, bool dry_run);

// One symbol whose value differs between two flavours ("-": absent).
struct FlavourDiffRow {
    std::string symbol;
    std::string left;
    std::string right;
};

// `config diff`: the symbols whose values differ, in the annotations' order.
std::vector<FlavourDiffRow> diff_flavours(const Annotations& a, const std::string& arch, const std::string& left,
                                          const std::string& right);

}  // namespace kf

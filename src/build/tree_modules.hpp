// The module objects a kernel tree can build, read from its Makefiles: what
// the quick build's module list is checked against.
#pragma once
#include <filesystem>
#include <set>
#include <string>

namespace kf::sys {

// Every module object the tree's Makefiles and Kbuild files build under a
// config symbol (kbuild_module_objects over the tree, as localmodconfig maps
// modules), skipping .git and kflavour/.
std::set<std::string> tree_module_objects(const std::filesystem::path& source);

}  // namespace kf::sys

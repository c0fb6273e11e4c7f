// The source tree keeps the shape docs/ARCHITECTURE.md describes: each folder
// of src/ (but cli) is a library, a folder includes only itself and the
// libraries it links (so an arrow to a later stage is caught here, not in a
// review), the link graph has no cycle, and every path a doc or a source
// comment cites exists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kRoot = KF_SOURCE_DIR;

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<fs::path> files_under(const fs::path& dir, const std::set<std::string>& exts) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && exts.count(e.path().extension().string())) out.push_back(e.path());
    return out;
}

// kflavour_<stage> -> the kflavour_* libraries it links, from CMakeLists.txt.
std::map<std::string, std::set<std::string>> declared_links() {
    const std::string cmake = slurp(kRoot / "CMakeLists.txt");
    std::map<std::string, std::set<std::string>> links;
    static const std::regex lib(R"(add_library\(kflavour_(\w+))");
    for (std::sregex_iterator it(cmake.begin(), cmake.end(), lib), end; it != end; ++it) links[(*it)[1]];
    static const std::regex tll(R"(target_link_libraries\(kflavour_(\w+) PUBLIC([^)]*)\))");
    static const std::regex dep(R"(kflavour_(\w+))");
    for (std::sregex_iterator it(cmake.begin(), cmake.end(), tll), end; it != end; ++it) {
        const std::string deps = (*it)[2];
        for (std::sregex_iterator d(deps.begin(), deps.end(), dep); d != end; ++d) links[(*it)[1]].insert((*d)[1]);
    }
    return links;
}

std::set<std::string> reachable(const std::map<std::string, std::set<std::string>>& links, const std::string& from) {
    std::set<std::string> seen;
    std::vector<std::string> todo{from};
    while (!todo.empty()) {
        auto at = todo.back();
        todo.pop_back();
        auto it = links.find(at);
        if (it == links.end()) continue;
        for (const auto& d : it->second)
            if (seen.insert(d).second) todo.push_back(d);
    }
    return seen;
}

std::set<std::string> src_folders() {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(kRoot / "src"))
        if (e.is_directory()) out.insert(e.path().filename().string());
    return out;
}

}  // namespace

TEST(SourceLayout, EveryFolderButCliIsALibraryAndTheLinksHaveNoCycle) {
    const auto links = declared_links();
    for (const auto& folder : src_folders()) {
        if (folder == "cli") continue;
        EXPECT_TRUE(links.count(folder)) << "src/" << folder << "/ has no kflavour_" << folder << " library";
    }
    for (const auto& [lib, deps] : links)
        EXPECT_FALSE(reachable(links, lib).count(lib)) << "kflavour_" << lib << " links itself through a cycle";
}

TEST(SourceLayout, AFolderIncludesOnlyItselfAndWhatItLinks) {
    const auto links = declared_links();
    static const std::regex include(R"rx(#include "(\w+)/[\w.]+")rx");
    int checked = 0;
    for (const auto& folder : src_folders()) {
        if (folder == "cli") continue;
        const auto allowed = reachable(links, folder);
        for (const auto& file : files_under(kRoot / "src" / folder, {".cpp", ".hpp"})) {
            const std::string text = slurp(file);
            for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it) {
                const std::string to = (*it)[1];
                ++checked;
                EXPECT_TRUE(to == folder || allowed.count(to))
                    << fs::relative(file, kRoot).string() << " includes " << to << "/ but kflavour_" << folder
                    << " does not link kflavour_" << to;
            }
        }
    }
    EXPECT_GT(checked, 100) << "the includes were not found";
}

// Cited paths: `src/x/y.cpp`, `tests/…`, `docs/…`, `bench/…`, and a stage's
// file named as `stage/name` (e.g. `config/config_check`) in a doc or a
// source comment.
TEST(SourceLayout, EveryPathADocOrACommentCitesExists) {
    std::vector<fs::path> texts = files_under(kRoot / "docs", {".md"});
    texts.push_back(kRoot / "README.md");
    for (const auto& f : files_under(kRoot / "src", {".cpp", ".hpp"})) texts.push_back(f);
    static const std::regex rooted(R"((?:^|[\s`(\[])((?:src|tests|docs|bench)/[\w./*<>-]*[\w*>]))");
    std::string stages;
    for (const auto& f : src_folders()) stages += (stages.empty() ? "" : "|") + f;
    const std::regex stage_file("(?:^|[\\s`(])((?:" + stages + ")/[a-z_0-9]+)(?:[.](?:cpp|hpp))?(?=[\\s`),.:'])");
    int cited = 0;
    for (const auto& file : texts) {
        const std::string text = slurp(file);
        const bool source = file.extension() != ".md";
        std::istringstream lines(text);
        std::string line;
        while (std::getline(lines, line)) {
            if (source && line.find("//") == std::string::npos) continue;  // only comments cite
            const std::string part = source ? line.substr(line.find("//")) : line;
            for (std::sregex_iterator it(part.begin(), part.end(), rooted), end; it != end; ++it) {
                std::string p = (*it)[1];
                while (!p.empty() && (p.back() == '.' || p.back() == '/')) p.pop_back();
                if (p.ends_with(".*")) p.resize(p.size() - 2);  // `src/fork/git_repo.*`: the pair
                if (p.find('*') != std::string::npos || p.find("<") != std::string::npos) continue;
                ++cited;
                // `src/fork/git_repo` names the .cpp/.hpp pair.
                EXPECT_TRUE(fs::exists(kRoot / p) || fs::exists(kRoot / (p + ".cpp")) || fs::exists(kRoot / (p + ".hpp")))
                    << fs::relative(file, kRoot).string() << " cites " << p;
            }
            for (std::sregex_iterator it(part.begin(), part.end(), stage_file), end; it != end; ++it) {
                const fs::path p = kRoot / "src" / std::string((*it)[1]);
                ++cited;
                EXPECT_TRUE(fs::exists(p.string() + ".cpp") || fs::exists(p.string() + ".hpp") || fs::is_directory(p))
                    << fs::relative(file, kRoot).string() << " cites " << (*it)[1];
            }
        }
    }
    EXPECT_GT(cited, 50) << "no citations were found";
}

#include "config/config_check.hpp"

#include "base/fs.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <map>

namespace kf {

const std::vector<std::string>& toolchain_identity_symbols() {
    static const std::vector<std::string> list = {
        "CONFIG_CC_VERSION_TEXT", "CONFIG_CC_IS_GCC",      "CONFIG_CC_IS_CLANG",   "CONFIG_GCC_VERSION",
        "CONFIG_CLANG_VERSION",   "CONFIG_AS_IS_GNU",      "CONFIG_AS_IS_LLVM",    "CONFIG_AS_VERSION",
        "CONFIG_LD_IS_BFD",       "CONFIG_LD_IS_LLD",      "CONFIG_LD_VERSION",    "CONFIG_LLD_VERSION",
        "CONFIG_PAHOLE_VERSION",  "CONFIG_RUSTC_VERSION",  "CONFIG_RUSTC_VERSION_TEXT",
        "CONFIG_RUSTC_LLVM_VERSION", "CONFIG_BINDGEN_VERSION_TEXT", "CONFIG_RUST_IS_AVAILABLE",
        "CONFIG_VERSION_SIGNATURE", "CONFIG_ARCH_USING_PATCHABLE_FUNCTION_ENTRY",
    };
    return list;
}

bool is_toolchain_identity(std::string_view name) {
    const auto& list = toolchain_identity_symbols();
    return std::find(list.begin(), list.end(), name) != list.end();
}

std::string toolchain_lines_regex() {
    std::string names;
    for (const auto& s : toolchain_identity_symbols()) names += (names.empty() ? "" : "|") + s;
    return "^(# )?(" + names + "|CONFIG_RUSTC_HAS_[A-Z0-9_]*|CONFIG_RUSTC_SUPPORTS_[A-Z0-9_]*)( is not set|=)";
}

bool is_toolchain_capability(std::string_view name) {
    for (std::string_view p : {"CONFIG_CC_HAS_", "CONFIG_AS_HAS_", "CONFIG_LD_HAS_", "CONFIG_CC_CAN_",
                               "CONFIG_TOOLS_SUPPORT_", "CONFIG_GCC_SUPPORTS_", "CONFIG_CLANG_SUPPORTS_",
                               "CONFIG_RUSTC_SUPPORTS_", "CONFIG_RUSTC_HAS_", "CONFIG_HAVE_SHADOW_CALL_STACK_COMPILER"})
        if (starts_with(name, p)) return true;
    return false;
}

namespace {
bool equal(const std::string& expected, const std::string* actual) {
    const bool expected_off = expected == "n" || expected == "-";
    if (!actual) return expected_off;
    if (*actual == "n") return expected_off;
    return *actual == expected;
}
}  // namespace

CheckResult check_config(const std::vector<ConfigSetting>& expected, const DotConfig& actual) {
    CheckResult result;
    std::map<std::string_view, const std::string*> seen;
    for (const auto& e : expected) {
        if (is_toolchain_identity(e.name)) continue;
        ++result.compared;
        const std::string* got = actual.find(e.name);
        seen[e.name] = got;
        if (equal(e.value, got)) continue;
        ConfigMismatch m{e.name, e.value, got ? *got : "(absent)"};
        (is_toolchain_capability(e.name) ? result.toolchain_dependent : result.mismatches).push_back(std::move(m));
    }
    for (const auto& s : actual.settings) {
        if (seen.count(s.name) || is_toolchain_identity(s.name) || s.value == "n") continue;
        ++result.compared;
        ConfigMismatch m{s.name, "(absent)", s.value};
        (is_toolchain_capability(s.name) ? result.toolchain_dependent : result.mismatches).push_back(std::move(m));
    }
    return result;
}

std::string describe_mismatches(const std::vector<ConfigMismatch>& list) {
    size_t w = 6, w2 = 10;
    for (const auto& m : list) {
        w = std::max(w, m.name.size());
        w2 = std::max(w2, m.expected.size());
    }
    std::string out;
    for (const auto& m : list) {
        std::string name = m.name, exp = m.expected;
        name.resize(w + 2, ' ');
        exp.resize(w2 + 2, ' ');
        out += "  " + name + exp + m.actual + "\n";
    }
    return out;
}

Result<CheckResult> check_config_file(const std::vector<ConfigSetting>& expected, const std::filesystem::path& file) {
    KF_TRY(std::string text, read_text_file(file));
    return check_config(expected, parse_dot_config(text));
}

}  // namespace kf

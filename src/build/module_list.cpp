#include "build/module_list.hpp"

#include "base/text.hpp"

#include <algorithm>
#include <cctype>

namespace kf {
namespace {

bool module_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

std::string kernel_name(std::string_view name) {
    std::string out(name);
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

}  // namespace

Result<std::vector<std::string>> parse_module_list(std::string_view text, const std::string& file) {
    std::vector<std::string> modules;
    std::set<std::string> seen;
    int number = 0;
    for (auto line : split_lines(text)) {
        ++number;
        const auto t = trim(line);
        if (t.empty() || t.front() == '#') continue;
        if (number == 1 && starts_with(t, "Module ")) continue;  // lsmod's header
        const auto words = split_words(t);
        const std::string& name = words.front();
        if (name.size() > kMaxModuleName || !std::all_of(name.begin(), name.end(), module_char))
            return bad_input("not a module name: " + quote_input(name) + " (lsmod output or one name per line)", file,
                             number);
        // lsmod rows: name size count [users]; a plain list: the name alone.
        auto number_at = [&](size_t i) {
            return words.size() <= i || (!words[i].empty() && std::all_of(words[i].begin(), words[i].end(), ::isdigit));
        };
        if (!number_at(1) || !number_at(2))
            return bad_input("not an lsmod row or a module name: " + quote_input(t, 60), file, number);
        std::string k = kernel_name(name);
        if (seen.insert(k).second) modules.push_back(std::move(k));
    }
    if (modules.empty()) return bad_input("the module list names no module", file);
    return modules;
}

std::string lsmod_text(const std::vector<std::string>& modules) {
    std::string out = "Module                  Size  Used by\n";
    for (const auto& m : modules) out += m + " 0 0\n";
    return out;
}

std::set<std::string> kbuild_module_objects(std::string_view makefile) {
    std::set<std::string> out;
    std::string joined;
    for (auto line : split_lines(makefile)) {
        if (!line.empty() && line.back() == '\\') {
            joined += std::string(line.substr(0, line.size() - 1)) + " ";
            continue;
        }
        joined += std::string(line);
        std::string_view l = joined;
        const auto at = l.find("obj-$(CONFIG_");
        const auto eq = at == std::string_view::npos ? at : l.find('=', at);
        if (eq != std::string_view::npos) {
            for (auto word : split_words(l.substr(eq + 1))) {
                if (word.size() > 2 && word.substr(word.size() - 2) == ".o")
                    out.insert(kernel_name(word.substr(0, word.size() - 2)));
            }
        }
        joined.clear();
    }
    return out;
}

std::string quick_check_script(std::string_view requested) {
    // One test per requested setting, against the reduced .config in "$1".
    std::string script = "c=\"$1\"; missing=\n";
    for (auto line : split_lines(requested)) {
        const auto t = trim(line);
        if (starts_with(t, "# CONFIG_") && t.ends_with(" is not set")) {
            const std::string symbol(t.substr(2, t.size() - 2 - std::string_view(" is not set").size()));
            script += "grep -q '^" + symbol + "=' \"$c\" && missing=\"$missing " + symbol + "=n\"\n";
            continue;
        }
        if (!starts_with(t, "CONFIG_") || t.find('=') == std::string_view::npos) continue;
        const std::string setting(t);
        script += "grep -qxF " + shell_quote(setting) + " \"$c\" || missing=\"$missing " + shell_quote(setting) + "\"\n";
    }
    script += "[ -z \"$missing\" ] || { echo \"kflavour: localmodconfig dropped what the flavour requests:$missing "
              "(add the modules that need them to the list, or build without --modules-from)\" >&2; exit 1; }\n";
    return script;
}

std::string ubuntu_requested_fragment(const Annotations& notes, std::string_view arch, std::string_view flavour) {
    std::vector<std::string> others;
    for (const auto& f : notes.flavours_of(arch))
        if (f != flavour) others.push_back(f);
    const std::string key = std::string(arch) + "-" + std::string(flavour);
    std::string out;
    for (const auto& a : notes.symbols()) {
        if (!a.policy.count(key)) continue;
        const auto value = notes.lookup(a, arch, flavour);
        if (!value || *value == "-") continue;
        bool differs = false;
        if (others.empty()) {
            const auto arch_value = a.policy.find(arch);
            differs = arch_value == a.policy.end() || arch_value->second != *value;
        }
        for (const auto& other : others) differs = differs || notes.lookup(a, arch, other) != value;
        if (!differs) continue;
        out += *value == "n" ? "# " + a.name + " is not set\n" : a.name + "=" + *value + "\n";
    }
    return out;
}

std::string quick_version(const std::string& version) { return version + "+quick"; }

}  // namespace kf

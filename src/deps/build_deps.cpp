#include "deps/build_deps.hpp"

#include "base/text.hpp"

namespace kf {

std::vector<std::string> build_profiles(bool cross) {
    if (cross) return {"cross", "nocheck"};
    return {};
}

std::string build_deps_control(const BuildDepsSpec& spec) {
    std::string out = "Source: kflavour-build-deps\n";
    for (const auto& [name, value] : spec.fields) {
        if (trim(value).empty()) continue;  // an empty field says nothing to apt
        out += name + ":";
        // Continuation lines keep their leading blank; the first line gets one.
        for (auto line : split_lines(value)) {
            if (trim(line).empty()) continue;
            out += " " + std::string(trim(line)) + "\n";
        }
    }
    out += "\nPackage: kflavour-build-deps\nArchitecture: any\nDescription: build-dependencies\n";
    return out;
}

std::string prepared_chroot_name(const BuildDepsSpec& spec) {
    std::string key = spec.base_chroot + "\nhost " + spec.host + "\nprofiles " + join(spec.profiles, ",") + "\n" +
                      build_deps_control(spec);
    return spec.base_chroot + "-bd" + short_hash(key);
}

std::vector<std::string> build_dep_command(const std::string& host, const std::vector<std::string>& profiles,
                                           const std::string& dir, bool arch_only) {
    std::vector<std::string> argv = {"apt-get", "-q", "-y", "--no-install-recommends", "build-dep"};
    if (arch_only) argv.push_back("--arch-only");
    if (!host.empty()) argv.push_back("--host-architecture=" + host);
    if (!profiles.empty()) argv.push_back("--build-profiles=" + join(profiles, ","));
    argv.push_back(dir);
    return argv;
}

std::string build_deps_script(const BuildDepsSpec& spec, const std::string& dir) {
    std::string script = "set -e\napt-get -q update\n";
    for (const auto& a : build_dep_command(spec.host, spec.profiles, dir, spec.arch_only)) script += shell_quote(a) + " ";
    script.back() = '\n';
    if (!spec.host.empty())
        script += "apt-get -q -y --no-install-recommends install " + shell_quote("libc6-dev:" + spec.host) + "\n";
    script += "apt-get clean\nrm -rf " + shell_quote(dir) + "\n";
    return script;
}

std::vector<std::string> unmet_dependency_lines(std::string_view apt_output) {
    std::vector<std::string> out;
    bool in_unmet = false;
    for (auto line : split_lines(apt_output)) {
        const auto t = trim(line);
        if (starts_with(t, "The following packages have unmet dependencies")) {
            in_unmet = true;
            out.emplace_back(t);
            continue;
        }
        if (starts_with(t, "E: ")) {
            in_unmet = false;
            out.emplace_back(t);
            continue;
        }
        // The chain: " builddeps:. : Depends: dh-systemd but it is not installable"
        // and its indented continuation lines.
        if (in_unmet && !t.empty() && (line.front() == ' ' || line.front() == '\t')) out.emplace_back(line);
        else in_unmet = false;
    }
    return out;
}

}  // namespace kf

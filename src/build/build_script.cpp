// Rendering a build plan: reproduce.sh (stage markers, helper and data
// files, environment) and the --dry-run listing. Pure text.
#include "build/build_plan.hpp"

#include "base/text.hpp"

namespace kf {
namespace fs = std::filesystem;

namespace {
const char* const stage_prefix = "::kflavour-stage ";
}  // namespace

namespace {

std::string render_env(const std::map<std::string, std::string>& env, std::string_view prefix) {
    std::string out;
    for (const auto& [k, v] : env) out += std::string(prefix) + k + "=" + shell_quote(v) + "\n";
    return out;
}

std::string render_argv(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "" : " ") + shell_quote(a);
    return out;
}

std::string render_step(const BuildStep& step) {
    std::string line;
    if (!step.cwd.empty()) line += "(cd " + shell_quote(step.cwd.string()) + " && ";
    for (const auto& [k, v] : step.env) line += k + "=" + shell_quote(v) + " ";
    line += render_argv(step.argv);
    if (!step.cwd.empty()) line += ")";
    return line + "\n";
}

std::string render_file(const fs::path& path, const std::string& content, const char* mode) {
    const std::string q = shell_quote(path.string());
    return "cat >" + q + " <<'KFLAVOUR_EOF'\n" + content + (content.ends_with('\n') ? "" : "\n") +
           "KFLAVOUR_EOF\nchmod " + mode + " " + q + "\n";
}

}  // namespace

std::string render_script(const BuildPlan& plan, std::string_view header, std::string_view prologue) {
    std::string out = "#!/bin/bash\n";
    out += header;
    out += "set -euo pipefail\n";
    out += prologue;
    out += render_env(plan.env, "export ");
    if (!plan.path_prepend.empty()) out += "export PATH=" + shell_quote(plan.path_prepend) + ":\"$PATH\"\n";
    std::string stage;
    bool helpers_written = plan.helper_files.empty() && plan.data_files.empty();
    for (const auto& step : plan.steps) {
        if (!helpers_written && step.stage != "prepare") {
            for (const auto& [path, content] : plan.helper_files) out += render_file(path, content, "755");
            for (const auto& [path, content] : plan.data_files) out += render_file(path, content, "644");
            helpers_written = true;
        }
        if (step.stage != stage) {
            stage = step.stage;
            out += "\necho " + shell_quote(stage_prefix + stage) + "\n";
        }
        out += render_step(step);
    }
    return out;
}

std::string render_dry_run(const BuildPlan& plan) {
    std::string out;
    if (!plan.env.empty() || !plan.path_prepend.empty()) out += "environment:\n" + render_env(plan.env, "  ");
    if (!plan.path_prepend.empty()) out += "  PATH=" + plan.path_prepend + ":$PATH\n";
    if (!plan.knobs.empty()) out += "knobs: " + join(plan.knobs, " ") + "\n";
    std::string stage;
    for (const auto& step : plan.steps) {
        if (step.stage != stage) {
            stage = step.stage;
            out += stage + ":\n";
        }
        out += "  " + render_step(step);
    }
    for (const auto& [path, content] : plan.helper_files)
        out += "helper " + path.string() + ":\n" + content + (content.ends_with('\n') ? "" : "\n");
    for (const auto& [path, content] : plan.data_files)
        out += "file " + path.string() + ":\n" + content + (content.ends_with('\n') ? "" : "\n");
    return out;
}

std::string_view stage_marker(std::string_view line) {
    line = trim(line);
    if (!starts_with(line, stage_prefix)) return {};
    return trim(line.substr(std::string_view(stage_prefix).size()));
}

}  // namespace kf

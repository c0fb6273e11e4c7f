#include "tree/changelog.hpp"

#include "base/text.hpp"

#include <array>
#include <cstdio>
#include <ctime>

namespace kf {
namespace {

bool is_lower_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
}
// dpkg matches the header case-insensitively: dch writes "UNRELEASED".
bool is_dist_char(char c) { return is_lower_word_char(c) || (c >= 'A' && c <= 'Z'); }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_trailer(std::string_view line) { return starts_with(line, " -- "); }

// dpkg's Dpkg::Changelog::Entry::Debian header,
//   ^(\w[-+0-9a-z.]*) \(([^\(\) \t]+)\)((?:\s+[-+0-9a-z.]+)+)\;(.*)$
// read by a plain left-to-right scan (a backtracking regex overflows the
// stack on long lines).
std::optional<ChangelogHeader> parse_header(std::string_view line, int number) {
    size_t i = 0;
    auto word_start = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    if (line.empty() || !word_start(line[0])) return std::nullopt;
    while (++i < line.size() && is_lower_word_char(line[i])) {
    }
    ChangelogHeader h;
    h.source = std::string(line.substr(0, i));
    if (line.substr(i, 2) != " (") return std::nullopt;
    const size_t v0 = i + 2;
    size_t v1 = v0;
    while (v1 < line.size() && line[v1] != ')' && line[v1] != '(' && !is_blank(line[v1])) ++v1;
    if (v1 == v0 || v1 >= line.size() || line[v1] != ')') return std::nullopt;
    h.version = std::string(line.substr(v0, v1 - v0));
    const size_t semi = line.find(';', v1 + 1);
    if (semi == std::string_view::npos) return std::nullopt;
    // One or more blank-separated distribution words, then optional blanks.
    std::string_view dists = line.substr(v1 + 1, semi - v1 - 1);
    if (dists.empty() || !is_blank(dists[0])) return std::nullopt;
    bool any = false;
    for (size_t j = 0; j < dists.size();) {
        if (is_blank(dists[j])) {
            ++j;
            continue;
        }
        if (!is_dist_char(dists[j])) return std::nullopt;
        while (j < dists.size() && is_dist_char(dists[j])) ++j;
        any = true;
    }
    if (!any) return std::nullopt;
    h.distribution = std::string(trim(dists));
    h.options = std::string(trim(line.substr(semi + 1)));
    h.line = number;
    return h;
}

}  // namespace

Result<ChangelogTop> parse_changelog_top(std::string_view text, const std::string& file) {
    std::vector<std::string_view> lines = split_lines(text);
    size_t i = 0;
    while (i < lines.size() && trim(lines[i]).empty()) ++i;
    if (i == lines.size()) return bad_input("empty changelog", file);
    auto top = parse_header(lines[i], int(i) + 1);
    if (!top)
        return bad_input("top entry header doesn't parse (want 'source (version) dist; urgency=…'): " +
                             quote_input(lines[i]),
                         file, int(i) + 1);
    size_t header = i;
    while (++i < lines.size() && !is_trailer(lines[i])) {
        if (parse_header(lines[i], 0))
            return bad_input("top entry has no ' -- Name <email>  date' line before the next entry", file,
                             int(i) + 1);
    }
    if (i == lines.size()) return bad_input("top entry has no ' -- Name <email>  date' line", file, int(header) + 1);
    while (++i < lines.size() && trim(lines[i]).empty()) {
    }
    ChangelogTop result{*top, std::nullopt, text.size()};
    if (i < lines.size()) {
        result.second_offset = size_t(lines[i].data() - text.data());
        result.second = parse_header(lines[i], int(i) + 1);
    }
    return result;
}

Result<Maintainer> choose_maintainer(const MaintainerSources& s) {
    auto given = [](const std::optional<std::string>& v) { return v && !trim(*v).empty(); };
    Maintainer m;
    if (given(s.debemail)) {
        std::string e(trim(*s.debemail));
        size_t lt = e.find('<'), gt = e.rfind('>');
        if (lt != std::string::npos && gt != std::string::npos && lt < gt) {
            m.name = std::string(trim(e.substr(0, lt)));  // DEBEMAIL="Name <email>"
            m.email = e.substr(lt + 1, gt - lt - 1);
        } else {
            m.email = e;
        }
    }
    if (given(s.debfullname)) m.name = std::string(trim(*s.debfullname));
    if (m.name.empty() && given(s.git_name)) m.name = std::string(trim(*s.git_name));
    if (m.email.empty() && given(s.git_email)) m.email = std::string(trim(*s.git_email));
    if (m.name.empty() || m.email.empty()) {
        Error e = bad_input(std::string("no maintainer ") + (m.name.empty() ? "name" : "email") +
                            " for the changelog entry");
        e.hint = "set DEBFULLNAME and DEBEMAIL, or git config user.name and user.email";
        return e;
    }
    return m;
}

std::string wrap_bullet(std::string_view text, size_t width) {
    std::string out = "  *";
    size_t column = out.size();
    bool first_on_line = true;
    for (const std::string& word : split_words(text)) {
        if (!first_on_line && column + 1 + word.size() > width) {
            out += "\n   ";
            column = 3;
        }
        out += ' ';
        out += word;
        column += 1 + word.size();
        first_on_line = false;
    }
    return out + "\n";
}

std::string render_entry(const ChangelogEntry& e) {
    std::string out = e.source + " (" + e.version + ") " + e.distribution + "; urgency=" + e.urgency + "\n\n";
    for (const auto& bullet : e.bullets) out += wrap_bullet(bullet);
    out += "\n -- " + e.maintainer.name + " <" + e.maintainer.email + ">  " + e.date + "\n\n";
    return out;
}

std::string rfc2822_date(std::int64_t epoch, int offset_minutes) {
    static const std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t local = std::time_t(epoch + std::int64_t(offset_minutes) * 60);
    std::tm tm{};
    gmtime_r(&local, &tm);
    int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", days[size_t(tm.tm_wday)],
                  tm.tm_mday, months[size_t(tm.tm_mon)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
    return buf;
}

}  // namespace kf

// debian/changelog: read the top entries, write a new top entry as dch does.
#pragma once

#include "base/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf {

// `linux (5.4.0-200.220) focal; urgency=medium`
struct ChangelogHeader {
    std::string source;
    std::string version;       // not checked here: the caller asks libdpkg
    std::string distribution;  // one or more words
    std::string options;       // after ';', e.g. "urgency=medium"
    int line = 0;
};

struct ChangelogTop {
    ChangelogHeader top;
    std::optional<ChangelogHeader> second;  // the entry below, when there is one
    size_t second_offset = 0;  // where the entry below starts (text size if none)
};

// Parse the top entry (header to ` -- ` trailer) and the next header.
// A top entry that doesn't parse is bad input naming file:line.
Result<ChangelogTop> parse_changelog_top(std::string_view text, const std::string& file);

struct Maintainer {
    std::string name;
    std::string email;
};

// Where the maintainer may come from, in dch's order: DEBFULLNAME and
// DEBEMAIL (which may be "Name <email>"), else git's user.name/user.email.
struct MaintainerSources {
    std::optional<std::string> debfullname, debemail, git_name, git_email;
};
Result<Maintainer> choose_maintainer(const MaintainerSources& sources);

struct ChangelogEntry {
    std::string source;
    std::string version;
    std::string distribution;
    std::string urgency = "medium";
    std::vector<std::string> bullets;  // unwrapped text of each `  * ` item
    Maintainer maintainer;
    std::string date;  // RFC 2822
};

// The entry as dch writes it, ending with a blank line.
std::string render_entry(const ChangelogEntry& entry);

// "  * text" word-wrapped to `width` columns, continuation lines indented by 4.
std::string wrap_bullet(std::string_view text, size_t width = 79);

// "Thu, 21 Nov 2024 16:18:00 +0000" for `epoch` seen at UTC offset `offset_minutes`.
std::string rfc2822_date(std::int64_t epoch, int offset_minutes);

}  // namespace kf

#include "archive/deb822.hpp"

#include "base/fs.hpp"

#include <apt-pkg/error.h>
#include <apt-pkg/fileutl.h>
#include <apt-pkg/tagfile.h>

#include <strings.h>

namespace kf::sys {

namespace {
std::string take_apt_errors() {
    std::string all;
    while (!_error->empty()) {
        std::string msg;
        _error->PopMessage(msg);
        if (!all.empty()) all += "; ";
        all += msg;
    }
    return all;
}
}  // namespace

Result<std::vector<Deb822Paragraph>> parse_deb822(const std::filesystem::path& file) {
    // The same checks as every text kflavour reads (a regular file of
    // bounded size, no NUL, no CR) before libapt-pkg sees it.
    if (auto text = read_text_file(file); !text.ok()) return text.error();
    FileFd fd;
    if (!fd.Open(file.string(), FileFd::ReadOnly)) {
        std::string why = take_apt_errors();
        return bad_input("cannot read: " + why, file.string());
    }
    pkgTagFile tags(&fd);
    pkgTagSection section;
    std::vector<Deb822Paragraph> paragraphs;
    while (tags.Step(section)) {
        Deb822Paragraph p;
        for (unsigned i = 0; i < section.Count(); ++i) {
            const char* start;
            const char* stop;
            section.Get(start, stop, i);
            std::string raw(start, stop);
            auto colon = raw.find(':');
            if (colon == std::string::npos) continue;
            std::string name = raw.substr(0, colon);
            p.push_back({name, section.FindS(name)});
        }
        paragraphs.push_back(std::move(p));
    }
    if (_error->PendingError()) return bad_input("not a deb822 file: " + take_apt_errors(), file.string());
    return paragraphs;
}

const std::string* find_field(const Deb822Paragraph& p, std::string_view name) {
    for (const auto& f : p)
        if (f.name.size() == name.size() && strncasecmp(f.name.c_str(), name.data(), name.size()) == 0)
            return &f.value;
    return nullptr;
}

}  // namespace kf::sys

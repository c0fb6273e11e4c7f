#include "archive/deb_set.hpp"

namespace kf {

std::string_view check_name(Check check) {
    switch (check) {
        case Check::complete: return "complete";
        case Check::installable: return "installable";
        case Check::cpu: return "cpu";
        case Check::consistent: return "consistent";
    }
    return "?";
}

bool is_kernel_image_path(std::string_view path) {
    return path.starts_with("/boot/vmlinuz-") || path.starts_with("/boot/vmlinux-");
}

bool is_module_path(std::string_view path) {
    return path.ends_with(".ko") && (path.starts_with("/lib/modules/") || path.starts_with("/usr/lib/modules/"));
}

}  // namespace kf

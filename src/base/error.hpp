// Errors as values: every fallible function returns Result<T>; the CLI has
// the one place that turns an Error into "kflavour: error: …" and an exit code.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kf {

// Exit codes from docs/inputs.md.
enum class Exit : int {
    ok = 0,
    check_failed = 1,  // verify, config check, boot
    bad_input = 2,     // bad usage or bad input
    failure = 3,       // operational failure (I/O, external tool, …)
};

struct Error {
    Exit code = Exit::bad_input;
    std::string message;
    std::string file;  // empty when no file is involved
    int line = 0;      // 0 when no line is involved
    std::string hint;  // how to fix it, optional

    // "file:line: message" (or less when file/line are unknown).
    std::string describe() const;
};

Error bad_input(std::string message, std::string file = {}, int line = 0);
Error failure(std::string message, std::string file = {}, int line = 0);
// `e` with a hint: return with_hint(bad_input(…), "how to fix it").
inline Error with_hint(Error e, std::string hint) {
    e.hint = std::move(hint);
    return e;
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { return std::get<1>(v_); }
    Error& error() { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

// Propagate an error: KF_TRY(auto x, expr); or KF_TRY_STATUS(expr);
#define KF_CONCAT_(a, b) a##b
#define KF_CONCAT(a, b) KF_CONCAT_(a, b)
#define KF_TRY_IMPL(tmp, decl, expr)        \
    auto tmp = (expr);                      \
    if (!tmp.ok()) return std::move(tmp.error()); \
    decl = std::move(tmp.value())
#define KF_TRY(decl, expr) KF_TRY_IMPL(KF_CONCAT(kf_try_, __LINE__), decl, expr)
#define KF_TRY_STATUS(expr)                                   \
    do {                                                      \
        auto kf_status_ = (expr);                             \
        if (!kf_status_.ok()) return std::move(kf_status_.error()); \
    } while (0)

}  // namespace kf

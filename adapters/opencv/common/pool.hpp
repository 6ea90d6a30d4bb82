// A pool of per-call model instances for the OpenCV engines. OpenCV's
// cascades and dnn nets keep per-call state, so no instance may serve two
// calls at once; the pool holds one per core and hands each call a free
// one, loading it on first use.
#ifndef SHADES_OCV_POOL_HPP
#define SHADES_OCV_POOL_HPP

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace shades_ocv {

template <class Model> class pool {
  public:
    // `load` fills a fresh Model and returns false when it cannot.
    explicit pool(std::function<bool(Model &)> load) : load_(std::move(load))
    {
        unsigned n = std::max(1u, std::min(64u, std::thread::hardware_concurrency()));
        for (unsigned i = 0; i < n; i++)
            slots_.push_back(std::make_unique<slot>());
    }

    // Loads the first instance now, so a bad model file fails at create.
    // [thread: create only, before any call]
    bool warm() { return get_loaded(*slots_[0]); }

    // Runs fn on a free instance (waiting for one when all are busy).
    template <class Fn> auto with(Fn fn) -> decltype(fn(std::declval<Model &>()))
    {
        for (auto &s : slots_) {
            std::unique_lock<std::mutex> l(s->lock, std::try_to_lock);
            if (l.owns_lock())
                return run(*s, fn);
        }
        size_t i = std::hash<std::thread::id>{}(std::this_thread::get_id()) % slots_.size();
        std::unique_lock<std::mutex> l(slots_[i]->lock);
        return run(*slots_[i], fn);
    }

  private:
    struct slot {
        std::mutex lock;
        bool loaded = false;
        Model model;
    };

    bool get_loaded(slot &s)
    {
        if (!s.loaded)
            s.loaded = load_(s.model);
        return s.loaded;
    }

    template <class Fn> auto run(slot &s, Fn &fn) -> decltype(fn(std::declval<Model &>()))
    {
        if (!get_loaded(s))
            throw std::runtime_error("model failed to load");
        return fn(s.model);
    }

    std::function<bool(Model &)> load_;
    std::vector<std::unique_ptr<slot>> slots_;
};

} // namespace shades_ocv

#endif

import CircuitDriver
import CircuitNative
import Foundation
import Testing

@testable import CircuitCodeGenC

/// The runtime's `cc_call_` runs a call's steps with the pool, or, after a call stalled on a
/// late worker, on one thread: the caller or a worker while the caller sleeps, as measured
/// cheapest. A call given to a worker runs every part there (its thread index 0, the
/// caller's, being free) and returns the steps' status.
@Suite struct CallWayTests {

  /// A C driver linked with the runtime: the first call's steps are one shared step whose
  /// part on the worker sleeps 30 ms (a descheduled worker) while the caller waits for it,
  /// so the fallback starts; the next call's guesses put the worker way first, so its steps
  /// run on the worker, all parts there as thread 0; its status comes back. Exit codes name
  /// the first broken expectation.
  static let driver = CPrelude.includes + CPrelude.context + CPrelude.runtimeInterface + CPrelude.runtimeDeclarations[0] + "\n"
    + #"""
    #include <stdio.h>
    #include <time.h>

    static pthread_t caller_;
    static int call_, worker_part_, foreign_parts_, threads_[2];
    static int steps_on_worker_[2];

    static void part_(const cc_ctx_* ctx, int part, int parts, int thread) {
      (void)ctx; (void)parts;
      if (!pthread_equal(pthread_self(), caller_)) __atomic_add_fetch(&foreign_parts_, 1, __ATOMIC_SEQ_CST);
      if (thread != 0) __atomic_store_n(&threads_[call_], 1, __ATOMIC_SEQ_CST);
      if (call_ != 0) return;
      if (thread != 0) {
        __atomic_store_n(&worker_part_, 1, __ATOMIC_SEQ_CST);
        struct timespec late = {0, 30000000};
        nanosleep(&late, 0);
      } else if (part == 0) {
        struct timespec poll = {0, 100000};
        for (int k = 0; k < 20000 && !__atomic_load_n(&worker_part_, __ATOMIC_SEQ_CST); ++k) nanosleep(&poll, 0);
      }
    }

    static void nothing_(const cc_ctx_* ctx, int part, int parts, int thread) {
      (void)ctx; (void)part; (void)parts; (void)thread;
    }

    static int steps_(const cc_ctx_* ctx) {
      steps_on_worker_[call_] = !pthread_equal(pthread_self(), caller_);
      cc_parallel_(part_, ctx, 8);
      return 7;
    }

    int main(void) {
      caller_ = pthread_self();
      if (cc_runtime_start_(2, 6, 1, 16)) return 1;
      cc_ctx_ ctx = {0, 0, 0, 0, 0};
      cc_parallel_(nothing_, &ctx, 1);  /* starts the worker, which then waits for a job */
      struct timespec settle = {0, 50000000};
      nanosleep(&settle, 0);
      if (cc_call_(steps_, &ctx) != 7) return 2;
      if (steps_on_worker_[0] || !threads_[0]) return 3;  /* pooled: the caller drives, a worker helps */
      call_ = 1;
      foreign_parts_ = 0;
      if (cc_call_(steps_, &ctx) != 7) return 4;
      if (!steps_on_worker_[1]) return 5;  /* the stalled call made the next run on a worker */
      if (threads_[1] || foreign_parts_ != 8) return 6;  /* every part there, as thread 0 */
      cc_runtime_release_();
      fprintf(stderr, "ok\n");
      return 0;
    }

    """#

  @Test func aStalledCallMovesTheNextOneToAWorker() throws {
    let cc = CCompiler(CompilerEnvironment.configuration)
    let dir = FileManager.default.temporaryDirectory.path + "/circuit-callway-\(getpid())"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    _ = try cc.buildExecutable(CallWayTests.driver, to: dir + "/driver")
    let (code, stderr) = try BuildTests.execute(dir + "/driver", [])
    #expect(code == 0 && stderr == "ok\n", "exit \(code): \(stderr)")
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import Synchronization

/// Ctrl-C during `circuit train`: a SIGINT handler that only sets a flag, which the training
/// loop checks between steps; the loop then writes a checkpoint and exits with
/// `exitCode` (130, 128 + SIGINT, what a shell reports for a process Ctrl-C stopped). A second
/// Ctrl-C, while the checkpoint is written, stops the process at once (the handler restores the
/// default action). Only the `circuit` executable (a live run) installs the handler and checks
/// the flag: in-process runs (tests, in parallel) never see it.
enum TrainingInterrupt {

  /// The exit code of an interrupted run.
  static let exitCode: Int32 = 130

  /// Whether a SIGINT arrived since `install`.
  private static let flag = Atomic<Bool>(false)

  /// Whether a SIGINT arrived since `install`.
  static var isRequested: Bool { flag.load(ordering: .relaxed) }

  /// Installs the SIGINT handler (the flag is initialised first: the handler must not run
  /// lazy initialisation).
  static func install() {
    flag.store(false, ordering: .relaxed)
    // A parent may have blocked SIGINT (the mask is inherited): unblock it on this thread, the
    // training thread, so the signal is delivered here.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    signal(SIGINT) { _ in
      TrainingInterrupt.flag.store(true, ordering: .relaxed)
      signal(SIGINT, SIG_DFL)
    }
  }

  /// Restores SIGINT's default action.
  static func uninstall() { signal(SIGINT, SIG_DFL) }
}

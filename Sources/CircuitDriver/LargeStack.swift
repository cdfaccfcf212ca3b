#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs work on a thread with a large stack, so that the recursive walks of the front end
/// (parser, checker, lowering, diagram) reach the nesting limits they enforce with a
/// diagnostic instead of overflowing a small stack (Swift Testing's worker threads, a debug
/// build's large frames). Only the pages actually touched cost memory. Tests that call the
/// front end directly use it too.
public enum LargeStack {

  /// The stack size of the worker thread: 1 GiB.
  static let size = 1 << 30

  /// The work handed to the thread, with room for its result.
  private final class Job {

    /// The work.
    let work: () -> Void

    /// Creates a job.
    init(_ work: @escaping () -> Void) { self.work = work }
  }

  /// The result of `body`, computed on a thread with a `size`-byte stack (on the calling
  /// thread when no such thread can be created).
  public static func run<T>(_ body: () -> T) -> T {
    withoutActuallyEscaping(body) { body in
      var result: T? = nil
      let job = Job { result = body() }
      #if os(Linux)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job)
        if pthread_attr_setstacksize(&attributes, size) == 0,
          pthread_create(
            &thread, &attributes,
            { raw in
              Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().work()
              return nil
            }, context.toOpaque()) == 0
        {
          pthread_join(thread, nil)
        } else {
          context.release()
          job.work()
        }
      #else
        job.work()
      #endif
      return result!
    }
  }
}

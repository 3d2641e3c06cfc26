import NIOCore
import NIOPosix

/// Makes NIO's event loops Swift's global executor, so that request handlers run on the threads
/// that do the network I/O instead of hopping to Swift's own pool and back. Call it once, before
/// the server starts; work that blocks (bcrypt, SQLite) runs on NIO's thread pool either way.
public func runTasksOnTheEventLoops() {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

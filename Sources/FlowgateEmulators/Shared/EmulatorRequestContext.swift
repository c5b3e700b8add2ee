import Hummingbird
import NIOCore

/// Request context of every emulator: Hummingbird's core storage plus the channel, which the
/// connection-reset fault needs to abort the connection.
public struct EmulatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}

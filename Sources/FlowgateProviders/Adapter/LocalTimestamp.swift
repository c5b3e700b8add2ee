import FlowgateCore
import Foundation

/// Timestamps without a zone designator (`2026-03-15T10:00:00`), as Geotareas sends them: wall-clock
/// time in a zone the connection configures.
public enum LocalTimestamp {
    /// The instant of wall-clock text in `zone`. Text that does carry a zone is read in that zone (an
    /// upstream that starts adding one is still read right).
    public static func parse(_ text: String, in zone: TimeZone) -> Date? {
        guard let fields = CivilTime.parse(text, lenient: true) else { return nil }
        if let offset = fields.offset { return Timestamp.instant(fields, offset: offset) }
        return Timestamp.instant(fields, offset: offset(ofWallClock: fields.wallClockSeconds, in: zone))
    }

    /// Formats an instant as wall-clock time in `zone` to the whole second (callers round first), with
    /// no designator.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let local = seconds + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
        let utc = Timestamp.format(Date(timeIntervalSince1970: Double(local)))
        // `Timestamp` prints whole seconds as `YYYY-MM-DDThh:mm:ssZ`: the same fields, minus the `Z`.
        return String(utc.dropLast())
    }

    /// The zone's offset at a wall-clock time: the offset in force at the instant it names. Around a
    /// change the first guess can be an hour off, so it is checked once against the instant it gives.
    static func offset(ofWallClock local: Int64, in zone: TimeZone) -> Int {
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local)))
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - Int64(guess))))
    }
}

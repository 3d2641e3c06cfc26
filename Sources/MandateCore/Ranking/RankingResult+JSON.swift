import Foundation

extension RankingResult {
    /// The canonical JSON of the result (`PublishedRanking.canonicalJSON`: keys sorted, slashes
    /// unescaped), written directly: byte for byte what the encoder writes, in a fraction of the
    /// time. A result of 3,321 communes is 1.2 MB, written when it is drafted, stored, logged and
    /// served.
    public func canonicalJSON() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + units.count * 400)
        var members = Members(&out)
        if let inputDigest { members.string("inputDigest", inputDigest, &out) }
        members.string("methodId", methodId, &out)
        members.int("methodVersion", methodVersion, &out)
        members.string("period", period, &out)
        if let previousMissingComponents {
            members.key("previousMissingComponents", &out)
            out.append(UInt8(ascii: "["))
            for (index, code) in previousMissingComponents.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.string(code, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if let previousPeriod { members.string("previousPeriod", previousPeriod, &out) }
        if let uncertainty {
            // Small: the encoder writes it.
            members.key("uncertainty", &out)
            out.append(contentsOf: PublishedRanking.canonicalJSON(uncertainty))
        }
        members.key("units", &out)
        out.append(UInt8(ascii: "["))
        for (index, unit) in units.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            unit.writeJSON(into: &out)
        }
        out.append(UInt8(ascii: "]"))
        members.end(&out)
        return out
    }
}

extension UnitRanking {
    /// The unit's object, keys sorted.
    func writeJSON(into out: inout [UInt8]) {
        var members = Members(&out)
        if let improvementRank { members.int("improvementRank", improvementRank, &out) }
        if let interval {
            members.key("interval", &out)
            var inner = Members(&out)
            inner.int("high", interval.high, &out)
            inner.int("low", interval.low, &out)
            inner.int("median", interval.median, &out)
            inner.end(&out)
        }
        members.key("pillars", &out)
        out.append(UInt8(ascii: "["))
        for (index, pillar) in pillars.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            var inner = Members(&out)
            inner.string("pillar", pillar.pillar, &out)
            if let score = pillar.score { inner.double("score", score, &out) }
            inner.end(&out)
        }
        out.append(UInt8(ascii: "]"))
        if let previousRank { members.int("previousRank", previousRank, &out) }
        if let previousScore { members.double("previousScore", previousScore, &out) }
        if let rank { members.int("rank", rank, &out) }
        if let rankChange { members.int("rankChange", rankChange, &out) }
        if let score { members.double("score", score, &out) }
        if let scoreChange { members.double("scoreChange", scoreChange, &out) }
        members.string("unit", unit, &out)
        members.end(&out)
    }
}

/// The members of one JSON object, written in the order given (the callers give them sorted by
/// key, as the encoder does), with commas between.
private struct Members {
    private var first = true

    /// Opens the object.
    init(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
    }

    mutating func key(_ key: String, _ out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONText.key(key, into: &out)
    }

    mutating func string(_ key: String, _ value: String, _ out: inout [UInt8]) {
        self.key(key, &out)
        JSONText.string(value, into: &out)
    }

    mutating func int(_ key: String, _ value: Int, _ out: inout [UInt8]) {
        self.key(key, &out)
        JSONText.number(value, into: &out)
    }

    mutating func double(_ key: String, _ value: Double, _ out: inout [UInt8]) {
        self.key(key, &out)
        JSONText.number(value, into: &out)
    }

    /// Closes the object.
    func end(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "}"))
    }
}

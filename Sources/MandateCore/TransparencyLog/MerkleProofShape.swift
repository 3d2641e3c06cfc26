/// The ranges `lo..<hi`, each standing for MTH(D[lo:hi]), that make up each kind of proof, bottom-up (RFC 9162 2.1).
// Computing the shape separately from the hashes lets in-memory trees and stored-hash readers share one
// definition of every proof.
public enum MerkleProofShape {
    /// Whether [start, end) is a subtree: empty, starting at 0, or starting at a multiple of bit_ceil(end - start).
    public static func isValidSubtree(start: UInt64, end: UInt64) -> Bool {
        guard start <= end else { return false }
        if start == 0 || start == end { return true }
        let length = end - start
        // Above 2^63 the bit ceiling overflows; only start == 0 could align such a range.
        guard length <= 1 << 63 else { return false }
        return start & (bitCeil(length) - 1) == 0
    }

    /// The ranges of the inclusion proof (RFC 9162 PATH) for `index` in the tree of `size` leaves.
    public static func inclusion(index: UInt64, size: UInt64) throws(MerkleError) -> [Range<UInt64>] {
        guard index < size else { throw .indexOutOfRange(index: index, size: size) }
        return path(index: index, lo: 0, hi: size)
    }

    /// The ranges of the inclusion proof for `index` within the subtree [start, end).
    public static func subtreeInclusion(
        index: UInt64, start: UInt64, end: UInt64
    ) throws(MerkleError) -> [Range<UInt64>] {
        guard isValidSubtree(start: start, end: end) else { throw .invalidSubtree(start: start, end: end) }
        guard index >= start, index < end else { throw .indexOutOfRange(index: index, size: end) }
        return path(index: index, lo: start, hi: end)
    }

    /// The ranges of the consistency proof (RFC 9162 PROOF) from `size1` to `size2` leaves.
    public static func consistency(size1: UInt64, size2: UInt64) throws(MerkleError) -> [Range<UInt64>] {
        guard size1 <= size2 else { throw .sizesOutOfOrder(size1: size1, size2: size2) }
        guard size1 > 0 else { throw .emptyTreeConsistency }
        return subproof(start: 0, end: size1, size: size2)
    }

    /// The ranges of the subtree consistency proof (RFC 9162 SUBPROOF generalised) of [start, end) into `size` leaves.
    public static func subtreeConsistency(
        start: UInt64, end: UInt64, size: UInt64
    ) throws(MerkleError) -> [Range<UInt64>] {
        guard isValidSubtree(start: start, end: end) else { throw .invalidSubtree(start: start, end: end) }
        guard end <= size else { throw .subtreeBeyondTree(end: end, size: size) }
        if start == end { return [] }
        return subproof(start: start, end: end, size: size)
    }

    private static func path(index: UInt64, lo: UInt64, hi: UInt64) -> [Range<UInt64>] {
        var lo = lo
        var hi = hi
        var topDown: [Range<UInt64>] = []
        while hi - lo > 1 {
            let mid = lo + largestPowerOfTwo(below: hi - lo)
            if index < mid {
                topDown.append(mid..<hi)
                hi = mid
            } else {
                topDown.append(lo..<mid)
                lo = mid
            }
        }
        return topDown.reversed()
    }

    private static func subproof(start: UInt64, end: UInt64, size: UInt64) -> [Range<UInt64>] {
        var start = start
        var lo: UInt64 = 0
        var hi = size
        // Whether the verifier already knows MTH(D[lo:hi]) when the recursion reaches [start, end).
        var known = true
        var topDown: [Range<UInt64>] = []
        while !(start == lo && end == hi) {
            let mid = lo + largestPowerOfTwo(below: hi - lo)
            if end <= mid {
                topDown.append(mid..<hi)
                hi = mid
            } else if start >= mid {
                topDown.append(lo..<mid)
                lo = mid
            } else {
                // A valid subtree straddles the split only when it starts at lo; its left part is a
                // complete node that the verifier cannot know separately, so it goes into the proof.
                topDown.append(lo..<mid)
                lo = mid
                start = mid
                known = false
            }
        }
        if !known { topDown.append(lo..<hi) }
        return topDown.reversed()
    }

    /// The largest power of two strictly below `n`, for `n >= 2`.
    @inline(__always)
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << (63 - (n - 1).leadingZeroBitCount)
    }

    /// The smallest power of two at or above `n`, for `1 <= n <= 2^63`.
    @inline(__always)
    static func bitCeil(_ n: UInt64) -> UInt64 {
        n <= 1 ? 1 : 1 << (64 - (n - 1).leadingZeroBitCount)
    }
}

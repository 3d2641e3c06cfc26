import CMandateKernels
import Testing

@testable import MandateCore

/// The ranking's kernels give, at every level of vector instructions this processor has, the very
/// bits of the plain arithmetic written out in Swift: wider instructions never change a score.
///
/// Limiting the level while other tests run is harmless for the same reason.
@Suite struct KernelTests {
    static func column(_ generator: inout SplitMix64, _ count: Int) -> [Double] {
        (0..<count).map { _ in (generator.nextUniform() - 0.3) * 137.25 }
    }

    @Test(arguments: [1, 7, 33, 1001])
    func everyLevelGivesThePlainBits(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        let c = (0..<4).map { _ in Self.column(&generator, count) }
        let w = (0..<4).map { _ in generator.nextUniform() * 3 }
        let start = Self.column(&generator, count)
        let factors = (0..<5).map { _ in generator.nextUniform() + 0.01 }
        let groups = (0..<count).map { _ in Int32(generator.nextUniform() * 5) }

        func plain4(first: Bool) -> [Double] {
            (0..<count).map { u in
                let left: Double = w[0] * c[0][u] + w[1] * c[1][u]
                let right: Double = w[2] * c[2][u] + w[3] * c[3][u]
                let sum: Double = left + right
                return first ? sum : start[u] + sum
            }
        }
        func plain1(first: Bool) -> [Double] {
            (0..<count).map { u in first ? w[0] * c[0][u] : start[u] + w[0] * c[0][u] }
        }
        // One pillar's part of the scores: the sums (if any) finished with `extra` columns, then
        // times the unit's factor, as the draws' scoring adds it.
        func plainPillar(first: Bool, started: Bool, extra: Int, grouped: Bool, offset: Int) -> [Double] {
            (0..<count - offset).map { u in
                var t: Double = started ? start[u] : 0
                for k in 0..<extra {
                    let term: Double = w[k] * c[k][offset + u]
                    t = (k == 0 && !started) ? term : t + term
                }
                let factor = grouped ? factors[Int(groups[u])] : factors[0]
                let part: Double = t * factor
                return first ? part : start[u] + part
            }
        }

        defer { mandate_limit_kernel_level(2) }
        let highest = mandate_kernel_level()
        #expect((0...2).contains(highest))
        for level in 0...highest {
            mandate_limit_kernel_level(Int32(level))
            #expect(mandate_kernel_level() == Int32(level))
            for first in [true, false] {
                var sums = start
                mandate_accumulate4(&sums, count, first, w, c[0], c[1], c[2], c[3])
                #expect(sums.map(\.bitPattern) == plain4(first: first).map(\.bitPattern), "level \(level)")
                sums = start
                mandate_accumulate1(&sums, count, first, w[0], c[0])
                #expect(sums.map(\.bitPattern) == plain1(first: first).map(\.bitPattern), "level \(level)")
                for started in [true, false] {
                    for extra in 0...3 {
                        for grouped in [true, false] {
                            let offset = count / 3
                            var scores = Array(start[0..<count - offset])
                            let sums = Array(start[0..<count - offset])
                            c[0].withUnsafeBufferPointer { c0 in
                                c[1].withUnsafeBufferPointer { c1 in
                                    c[2].withUnsafeBufferPointer { c2 in
                                        let columns = [c0.baseAddress, c1.baseAddress, c2.baseAddress]
                                        sums.withUnsafeBufferPointer { sums in
                                            mandate_add_pillar(
                                                &scores, count - offset, first, started ? sums.baseAddress! : nil,
                                                Int32(extra), w, columns, offset, factors, grouped ? groups : nil)
                                        }
                                    }
                                }
                            }
                            let want = plainPillar(
                                first: first, started: started, extra: extra, grouped: grouped, offset: offset)
                            #expect(
                                scores.map(\.bitPattern) == want.map(\.bitPattern),
                                "level \(level), started \(started), extra \(extra), grouped \(grouped)")
                        }
                    }
                }
            }
        }
    }
}

import MandateCore
import Testing

@Suite struct SplitMix64Tests {
    @Test func matchesTheReferenceOutputsForSeedZero() {
        // The first outputs of Vigna's splitmix64.c seeded with 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func anyOutputCanBeComputedDirectly() {
        var generator = SplitMix64(seed: 57)
        let sequence = (1...100).map { _ in generator.next() }
        #expect(sequence == (1...100).map { SplitMix64.output(seed: 57, at: UInt64($0)) })
    }

    @Test func uniformsTakeTheTop53Bits() {
        #expect(SplitMix64.uniform(0) == 0)
        #expect(SplitMix64.uniform(UInt64.max) == 1 - 0x1.0p-53)
        #expect(SplitMix64.uniform(1 << 63) == 0.5)
    }
}

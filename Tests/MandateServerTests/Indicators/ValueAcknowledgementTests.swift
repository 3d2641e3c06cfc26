import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MandateStore
import Testing

@testable import MandateServer

/// The answer to a write reflects that write, whatever else the server is doing at the time.
///
/// Many writers enter and correct values at once on a database file, whose reads go to other
/// connections than the writes, with readers of the same values alongside: every answer to a
/// write carries the value written, and a read made after that answer shows it.
@Suite struct ValueAcknowledgementTests {
    struct UnitsBody: Decodable {
        struct Item: Decodable { let code: String }
        let items: [Item]
    }

    /// `GET /api/v1/dataValues/{indicator}/{unit}/{period}`: the value and its history.
    struct DetailBody: Decodable {
        let value: IndicatorsAPITests.ValueBody
    }

    @Test func everyAnswerToAWriteShowsThatWriteUnderConcurrentWritesAndReads() async throws {
        try await withAppOnFile { client, _ in
            _ = try await IndicatorsAPITests.define(client)
            let admin = try await client.signIn("admin@demo.mandate.vn")
            let communes = try await client.json(UnitsBody.self, "/api/v1/units?kind=commune&limit=16").items.map(
                \.code)
            #expect(communes.count == 16)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (number, unit) in communes.enumerated() {
                    // A writer: the value, then two corrections of it.
                    group.addTask {
                        for round in 0..<3 {
                            let value = number * 3 + round
                            let body = #"{"indicator":"T_BB","unit":"\#(unit)","period":"2025","value":\#(value)}"#
                            let answer = try await IndicatorsAPITests.post(
                                client, "/api/v1/dataValues", body, as: admin)
                            try #require(
                                answer.status == (round == 0 ? .created : .ok),
                                "\(unit), write \(round): \(answer.status) \(answer.text)")
                            let written = try JSONDecoder().decode(
                                IndicatorsAPITests.ValueBody.self, from: Data(buffer: answer.body))
                            #expect(written.unit == unit && written.value == Double(value), "\(unit), write \(round)")
                            let read = try await client.json(
                                DetailBody.self, "/api/v1/dataValues/T_BB/\(unit)/2025", headers: admin.headers)
                            #expect(read.value.value == Double(value), "\(unit), read after write \(round)")
                        }
                    }
                    // A reader of the same values, meanwhile.
                    group.addTask {
                        for _ in 0..<3 {
                            try await client.execute(
                                uri: "/api/v1/dataValues/T_BB/\(unit)/2025", method: .get, headers: admin.headers
                            ) { response in
                                #expect([.ok, .notFound].contains(response.status), "\(unit): \(response.status)")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

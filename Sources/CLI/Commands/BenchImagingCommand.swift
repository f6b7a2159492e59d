import ArgumentParser
import Foundation
import Imaging

/// `vlpart bench-imaging` (hidden): times JPEG decode, PNG decode and bilinear resize on given
/// files for `bench/imaging.sh`, which runs Pillow on the same files and prints the ratios.
struct BenchImagingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-imaging",
        abstract: "Time image decode and resize (used by bench/imaging.sh).",
        discussion: """
        Prints one line per measurement, `name milliseconds`, the median of --repeat runs after \
        one warm-up. Files are read into memory first, so only decoding is timed.
        """,
        shouldDisplay: false
    )

    @Option(help: "A JPEG file to decode.") var jpeg: String
    @Option(help: "A PNG file to decode.") var png: String
    @Option(help: "Resize targets as WIDTHxHEIGHT, comma-separated (bilinear; antialiased when shrinking, as Pillow's BILINEAR).")
    var resize: String = "512x384,224x224,2048x1536"
    @Option(help: "Timed repetitions per measurement.") var `repeat`: Int = 20

    func run() throws {
        let jpegBytes = try Array(Data(contentsOf: URL(fileURLWithPath: jpeg)))
        let pngBytes = try Array(Data(contentsOf: URL(fileURLWithPath: png)))
        report("jpeg_decode", median { _ = try? Image.decode(jpegBytes) })
        report("png_decode", median { _ = try? Image.decode(pngBytes) })
        let image = try Image.decode(jpegBytes)
        for target in resize.split(separator: ",") {
            let parts = target.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("bad --resize entry \(target)") }
            let shrink = parts[0] < image.width || parts[1] < image.height
            report("resize_bilinear_\(target)", median {
                _ = image.resized(width: parts[0], height: parts[1], filter: .bilinear, antialias: shrink)
            })
        }
    }

    private func median(_ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<max(1, `repeat`) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[times.count / 2]
    }

    private func report(_ name: String, _ milliseconds: Double) {
        print("\(name) \(String(format: "%.3f", milliseconds))")
    }
}

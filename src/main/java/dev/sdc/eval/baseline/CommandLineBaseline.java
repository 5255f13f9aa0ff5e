package dev.sdc.eval.baseline;

import dev.sdc.image.ImageFiles;
import dev.sdc.image.RgbImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A baseline driven by an external encoder/decoder pair (cjpeg/djpeg, cwebp/dwebp, avifenc/avifdec,
 * cjxl/djxl). The exact flags are the method; they are listed in docs/EVAL.md and recorded per result.
 */
public final class CommandLineBaseline implements Baseline {
    /** Builds the argument list (without the executable) for one call. */
    @FunctionalInterface
    interface EncodeArgs {
        List<String> args(int quality, String input, String output);
    }

    @FunctionalInterface
    interface DecodeArgs {
        List<String> args(String input, String output);
    }

    private final String name;
    private final String extension;
    private final String encoder;
    private final String decoder;
    private final int minQuality;
    private final int maxQuality;
    private final boolean ppmInput;
    private final String decodedExtension;
    private final EncodeArgs encodeArgs;
    private final DecodeArgs decodeArgs;
    private final String version;
    private final ThreadLocal<Double> lastDecode = ThreadLocal.withInitial(() -> Double.NaN);

    CommandLineBaseline(String name, String extension, String encoder, String decoder, int minQuality, int maxQuality,
                        boolean ppmInput, String decodedExtension, EncodeArgs encodeArgs, DecodeArgs decodeArgs,
                        String version) {
        this.name = name;
        this.extension = extension;
        this.encoder = encoder;
        this.decoder = decoder;
        this.minQuality = minQuality;
        this.maxQuality = maxQuality;
        this.ppmInput = ppmInput;
        this.decodedExtension = decodedExtension;
        this.encodeArgs = encodeArgs;
        this.decodeArgs = decodeArgs;
        this.version = version;
    }

    /** libjpeg-turbo cjpeg, default settings (4:2:0, baseline Huffman) apart from -quality; PPM input. */
    static CommandLineBaseline jpeg(String version) {
        return new CommandLineBaseline("jpeg", "jpg", "cjpeg", "djpeg", 1, 100, true, "bmp",
                (q, in, out) -> List.of("-quality", Integer.toString(q), "-outfile", out, in),
                (in, out) -> List.of("-bmp", "-outfile", out, in), version);
    }

    /** libwebp cwebp lossy, default method 4 and preset, -q 0..100. */
    static CommandLineBaseline webp(String version) {
        return new CommandLineBaseline("webp", "webp", "cwebp", "dwebp", 0, 100, false, "png",
                (q, in, out) -> List.of("-quiet", "-q", Integer.toString(q), in, "-o", out),
                (in, out) -> List.of("-quiet", in, "-o", out), version);
    }

    /**
     * libavif avifenc 0.11 (no -q flag yet): quality Q in 0..63 means AV1 quantizer 63−Q for both --min and
     * --max; speed 4, 4:2:0 like the other lossy baselines, one worker thread (--jobs parallelises images).
     */
    static CommandLineBaseline avif(String version) {
        return new CommandLineBaseline("avif", "avif", "avifenc", "avifdec", 0, 63, false, "png",
                (q, in, out) -> List.of("--speed", "4", "--jobs", "1", "--yuv", "420",
                        "--min", Integer.toString(63 - q), "--max", Integer.toString(63 - q), in, out),
                (in, out) -> List.of(in, out), version);
    }

    /**
     * libjxl cjxl 0.7 -q (remapped by cjxl to a butteraugli distance), default effort 7. Quality starts at 5:
     * below it cjxl 0.7 maps to a distance over 25 and refuses.
     */
    static CommandLineBaseline jxl(String version) {
        return new CommandLineBaseline("jxl", "jxl", "cjxl", "djxl", 5, 100, false, "png",
                (q, in, out) -> List.of(in, out, "-q", Integer.toString(q), "--num_threads=1"),
                (in, out) -> List.of(in, out, "--num_threads=1"), version);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int minQuality() {
        return minQuality;
    }

    @Override
    public int maxQuality() {
        return maxQuality;
    }

    @Override
    public Encoded encode(SourceImage source, int quality, Path workDir) {
        Path input = ppmInput ? source.ppm() : source.png();
        String outName = name + "-q" + quality + "." + extension;
        List<String> command = new ArrayList<>();
        command.add(encoder);
        command.addAll(encodeArgs.args(quality, input.toAbsolutePath().toString(), outName));
        ExternalProcess.Result r = ExternalProcess.runChecked(command, workDir);
        Path out = workDir.resolve(outName);
        long size = out.toFile().length();
        List<String> shown = new ArrayList<>();
        shown.add(encoder);
        shown.addAll(encodeArgs.args(quality, input.getFileName().toString(), "out." + extension));
        return new Encoded(out, size, quality, ExternalProcess.render(shown), r.millis(), source.image().width(),
                source.image().height());
    }

    @Override
    public RgbImage decode(Encoded encoded, Path workDir) {
        String outName = encoded.file().getFileName() + ".decoded." + decodedExtension;
        List<String> command = new ArrayList<>();
        command.add(decoder);
        command.addAll(decodeArgs.args(encoded.file().toAbsolutePath().toString(), outName));
        ExternalProcess.Result r = ExternalProcess.runChecked(command, workDir);
        lastDecode.set(r.millis());
        return ImageFiles.read(workDir.resolve(outName));
    }

    @Override
    public double lastDecodeMillis() {
        return lastDecode.get();
    }

    @Override
    public String version() {
        return version;
    }

    String encoderName() {
        return encoder;
    }

    String decoderName() {
        return decoder;
    }
}

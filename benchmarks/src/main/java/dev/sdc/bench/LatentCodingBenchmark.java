package dev.sdc.bench;

import dev.sdc.codec.AnalyzedImage;
import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.EncodeOptions;
import dev.sdc.image.ImageFiles;
import dev.sdc.model.Bundle;
import dev.sdc.model.DefaultBundle;
import dev.sdc.model.DjlRuntime;
import dev.sdc.model.Latent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The hand-written half of the codec, on a real latent: {@code compress} is everything an encode does after
 * the VAE encoder (palette + Floyd–Steinberg dithering and the range coder, or the scalar quantiser and its
 * context-modelled coder), {@code readLatent} everything a decode does before the UNet (parse, CRC, entropy
 * decoding, dequantisation). The networks are not timed here (scripts/bench times them, with DJL); the
 * setup runs the encoder once per trial to get the latent of {@code -Dsdc.bench.image} (default
 * testdata/images/landscape-768x512.png, a 4x64x96 latent).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Djava.awt.headless=true"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LatentCodingBenchmark {
    /** Palette size and dithering as {@code sdc encode --colors N [--no-dither]}, or the scalar mode's default. */
    @Param({"palette-16", "palette-256", "palette-256-nodither", "scalar"})
    public String setting;

    private BundleCodec codec;
    private AnalyzedImage analyzed;
    private EncodeOptions options;
    private byte[] file;

    @Setup(Level.Trial)
    public void setUp() {
        DjlRuntime.configure(); // offline, the libtorch cache, one thread: before any DJL class loads
        Path image = Path.of(System.getProperty("sdc.bench.image", "testdata/images/landscape-768x512.png"));
        boolean scalar = setting.equals("scalar");
        // the built-in tiny has no scalar prior; models/tiny-scalar is the small bundle that has one
        Bundle bundle = scalar ? Bundle.load(Path.of(System.getProperty("sdc.bench.scalar-model", "models/tiny-scalar")))
                : DefaultBundle.load(null);
        codec = new BundleCodec(bundle);
        analyzed = codec.analyze(ImageFiles.read(image));
        options = scalar ? codec.scalarOptions(null)
                : new EncodeOptions(Integer.parseInt(setting.split("-")[1]), !setting.endsWith("-nodither"));
        file = codec.compress(analyzed, options);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        codec.close();
    }

    @Benchmark
    public byte[] compress() {
        return codec.compress(analyzed, options);
    }

    @Benchmark
    public Latent readLatent() {
        return codec.readLatent(file);
    }
}

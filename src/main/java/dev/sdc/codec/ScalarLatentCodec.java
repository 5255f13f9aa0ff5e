package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import dev.sdc.bitstream.FormatException;
import dev.sdc.bitstream.LatentPayload;
import dev.sdc.bitstream.ScalarPayload;
import dev.sdc.bitstream.SdcHeader;
import dev.sdc.bitstream.scalar.PriorLevel;
import dev.sdc.bitstream.scalar.PriorTables;
import dev.sdc.bitstream.scalar.ScalarLatentCoder;
import dev.sdc.bitstream.scalar.ScalarQuantizer;
import dev.sdc.model.Bundle;
import dev.sdc.model.DdimSchedule;
import dev.sdc.model.Latent;
import dev.sdc.model.ModelException;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mode 1 (docs/FORMAT.md, "Mode 1"): every latent value rounded to a multiple of its channel's step
 * {@code step[level][c] · R / 4096}, coded by {@link ScalarLatentCoder} with the bundle's integer prior
 * tables. Denoise defaults follow the quantisation noise (docs/SCALAR.md, "Denoise defaults").
 */
final class ScalarLatentCodec implements LatentCodec {
    /**
     * Quality 0 is this many times coarser than the coarsest level, quality 100 this many times finer than
     * the finest: the rate factor reaches a little beyond the trained levels, not far (tables trained for
     * another step only cost bits, but the farther from the training the more).
     */
    static final double QUALITY_REACH = 2.0;
    /** Rate control searches {@link #rateForSearch} in this many steps (as fine as quality in steps of 0.1). */
    static final int SEARCH_GRID = 1000;

    private final Bundle bundle;
    private final PriorTables prior;
    private final DdimSchedule schedule;
    private final int defaultLevel;
    /** Geometric mean step of each level at rate factor 1: quality is log-linear in it. */
    private final double[] levelStep;
    /**
     * The coarsest step quality reaches: the latent's half range, max(|quant_min|, |quant_max|). A step of
     * twice that rounds every value of the clamped latent to 0 (a flat image whatever the input), so quality 0
     * stops at a step where the strongest latent values still code; tiny-scalar's coarsest level (mean step
     * 1.30 on a ±1 latent) made every quality up to about 15 such an empty file.
     */
    private final double maxQualityStep;

    ScalarLatentCodec(Bundle bundle, PriorTables prior) {
        if (prior.channels() != bundle.channels()) {
            throw new ModelException("bundle " + bundle.name() + ": scalar prior has " + prior.channels()
                    + " channels, the latent " + bundle.channels());
        }
        if (bundle.defaultScalarLevel() >= prior.levels()) {
            throw new ModelException("bundle " + bundle.name() + ": scalar.default_level " + bundle.defaultScalarLevel()
                    + " but the prior has " + prior.levels() + " levels");
        }
        this.bundle = bundle;
        this.prior = prior;
        this.schedule = bundle.schedule();
        this.defaultLevel = bundle.defaultScalarLevel();
        this.levelStep = new double[prior.levels()];
        for (int l = 0; l < prior.levels(); l++) {
            double logSum = 0;
            for (float s : prior.level(l).steps()) {
                logSum += Math.log(s);
            }
            levelStep[l] = Math.exp(logSum / prior.channels());
        }
        this.maxQualityStep = Math.max(Math.abs(bundle.quantMin()), Math.abs(bundle.quantMax()));
    }

    /** The scalar codec of a bundle with a prior, or empty for a palette-only bundle. */
    static Optional<ScalarLatentCodec> of(Bundle bundle) {
        return bundle.scalarPriorFile().map(f -> new ScalarLatentCodec(bundle, PriorTables.read(f)));
    }

    @Override
    public QuantizerMode mode() {
        return QuantizerMode.SCALAR;
    }

    int levels() {
        return prior.levels();
    }

    /** The rate of {@code --mode scalar} without a quality or target. */
    ScalarRate defaultRate() {
        return new ScalarRate(defaultLevel, ScalarRate.UNIT);
    }

    /**
     * The rate of quality {@code q} (0 … 100): the mean step falls log-linearly from {@link #QUALITY_REACH}
     * times the coarsest level's (at most {@link #maxQualityStep}) to 1 / {@link #QUALITY_REACH} of the
     * finest's. Higher quality never has a coarser step.
     */
    ScalarRate rateForQuality(double q) {
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("quality " + q + " outside 0 … 100");
        }
        double lo = finestLogStep();
        double hi = Math.max(lo, Math.min(coarsestLogStep(), Math.log(maxQualityStep)));
        return rateForLogStep(hi + (lo - hi) * q / 100);
    }

    /**
     * Rate control's scale, {@code k} in 0 … {@link #SEARCH_GRID}: as quality, but from {@link #QUALITY_REACH}
     * times the coarsest level's step without quality's cap, so that {@code --size}/{@code --bpp} still reach
     * the smallest files the bundle can make (coarse, but the caller asked for those bytes).
     */
    ScalarRate rateForSearch(int k) {
        double lo = finestLogStep();
        double hi = Math.max(lo, coarsestLogStep());
        return rateForLogStep(hi + (lo - hi) * k / SEARCH_GRID);
    }

    private double coarsestLogStep() {
        return Math.log(levelStep[0] * QUALITY_REACH);
    }

    private double finestLogStep() {
        return Math.log(levelStep[levelStep.length - 1] / QUALITY_REACH);
    }

    /** The level whose own mean step is nearest in log; the rate factor makes up the rest. */
    private ScalarRate rateForLogStep(double logStep) {
        int best = 0;
        for (int l = 1; l < levelStep.length; l++) {
            if (Math.abs(Math.log(levelStep[l]) - logStep) < Math.abs(Math.log(levelStep[best]) - logStep)) {
                best = l;
            }
        }
        long r = Math.round(ScalarRate.UNIT * Math.exp(logStep) / levelStep[best]);
        return new ScalarRate(best, (int) Math.max(1, Math.min(ScalarPayload.MAX_RATE_FACTOR, r)));
    }

    /** The per-channel steps Δ_c of a rate (one binary32 multiplication each, as every decoder does). */
    float[] steps(ScalarRate rate) {
        return ScalarQuantizer.effectiveSteps(level(rate.level()), rate.rateFactor());
    }

    private PriorLevel level(int l) {
        if (l < 0 || l >= prior.levels()) {
            throw new SdcException(ExitCode.USAGE, "scalar level " + l + " outside 0 … " + (prior.levels() - 1)
                    + " of bundle '" + bundle.name() + "'");
        }
        return prior.level(l);
    }

    private ScalarRate rateOf(EncodeOptions options) {
        return options.scalarRate() != null ? options.scalarRate() : defaultRate();
    }

    @Override
    public LatentPayload compress(Latent latent, EncodeOptions options) {
        ScalarRate rate = rateOf(options);
        PriorLevel lv = level(rate.level());
        int[][][] q = ScalarQuantizer.quantize(planes(latent), steps(rate));
        return new ScalarPayload(rate.level(), rate.rateFactor(), ScalarLatentCoder.encode(q, lv.model()));
    }

    @Override
    public Latent reconstruct(SdcHeader h, LatentPayload payload) {
        ScalarPayload p = (ScalarPayload) payload;
        if (p.level() >= prior.levels()) {
            throw new FormatException("scalar level " + p.level() + " outside 0.." + (prior.levels() - 1)
                    + " of the bundle's prior");
        }
        PriorLevel lv = prior.level(p.level());
        byte[] coded = p.coded();
        int[][][] q = ScalarLatentCoder.decode(coded, 0, coded.length, h.channels(), h.latentHeight(),
                h.latentWidth(), lv.model());
        float[] steps = ScalarQuantizer.effectiveSteps(lv, p.rateFactor());
        return flat(ScalarQuantizer.dequantize(q, steps, h.quantMin(), h.quantMax()));
    }

    /**
     * The DDIM timestep whose noise-to-signal ratio {@code (1 − ᾱ_t)/ᾱ_t} is nearest the quantisation
     * noise in the UNet's units, {@code scale² · mean_c(Δ_c²) / 12}; 0 (no denoising) where the bundle's
     * prior says the level is not denoised ({@code denoise_t} 0). The first minimum wins, as numpy's argmin.
     */
    int denoiseTimestep(ScalarRate rate) {
        if (level(rate.level()).denoiseTimestep() == 0) {
            return 0;
        }
        float[] d = steps(rate);
        double meanSq = 0;
        for (float s : d) {
            meanSq += (double) s * s;
        }
        double var = bundle.scale() * bundle.scale() * (meanSq / d.length) / 12.0;
        int best = 0;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int t = 0; t < schedule.trainSteps(); t++) {
            double a = schedule.alphaCumprod(t);
            double err = Math.abs((1 - a) / a - var);
            if (err < bestErr) {
                bestErr = err;
                best = t;
            }
        }
        return best;
    }

    @Override
    public DenoiseDefault denoiseDefault(EncodeOptions options) {
        int t = denoiseTimestep(rateOf(options));
        return new DenoiseDefault((float) t / schedule.trainSteps(), t == 0 ? 0 : 1);
    }

    /**
     * Rate control over {@link #rateForSearch} ({@link RateController}: every trial is a complete file, so
     * nothing overshoots). A trial only re-quantises and re-codes the latent.
     */
    @Override
    public RateControlled fit(RateTarget target, int width, int height, EncodeOptions base,
            Function<EncodeOptions, byte[]> compressor) {
        long budget = target.budgetBytes(width, height);
        Optional<RateController.Outcome> found = RateController.largestFitting(0, SEARCH_GRID, budget,
                k -> compressor.apply(base.withScalarRate(rateForSearch(k))));
        if (found.isEmpty()) {
            int smallest = compressor.apply(base.withScalarRate(rateForSearch(0))).length;
            throw new SdcException(ExitCode.TARGET_UNREACHABLE, "target " + target
                    + (target.isBitsPerPixel() ? " (" + budget + " B)" : "") + " is too small for this "
                    + width + "x" + height + " image: the smallest scalar file sdc can make has "
                    + smallest + " bytes");
        }
        RateController.Outcome o = found.get();
        return new RateControlled(o.bytes(), base.withScalarRate(rateForSearch(o.level())), target, budget,
                o.trials());
    }

    /** E.g. "level 2, rate factor 1.2500 (steps 0.0312 0.0290 …)", for messages and {@code sdc info}. */
    String describe(ScalarRate rate) {
        return String.format(Locale.ROOT, "level %d, rate factor %.4f, steps %s", rate.level(), rate.factor(),
                stepsText(rate));
    }

    /** The steps Δ_c of a rate, e.g. "0.0312 0.029 0.0301 0.0335". */
    String stepsText(ScalarRate rate) {
        StringBuilder sb = new StringBuilder();
        for (float s : steps(rate)) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.4g", s));
        }
        return sb.toString();
    }

    private static float[][][] planes(Latent latent) {
        int c = latent.channels(), h = latent.height(), w = latent.width();
        float[] data = latent.data();
        float[][][] z = new float[c][h][w];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, (k * h + y) * w, z[k][y], 0, w);
            }
        }
        return z;
    }

    private static Latent flat(float[][][] z) {
        int c = z.length, h = z[0].length, w = z[0][0].length;
        float[] data = new float[c * h * w];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(z[k][y], 0, data, (k * h + y) * w, w);
            }
        }
        return new Latent(c, h, w, data);
    }
}

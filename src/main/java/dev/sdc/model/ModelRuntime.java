package dev.sdc.model;

import ai.djl.Model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The networks of one bundle, loaded on first use and then kept for the life of the process, so a batch of
 * images pays for loading once. A decode-only run never loads the encoder, an encode-only run never loads
 * the decoder or UNet, and a look's decoder ({@link Bundle#looks()}) loads only when a decode asks for that
 * look. Thread-safe loading; closing frees the native models.
 */
public final class ModelRuntime implements AutoCloseable {
    static {
        DjlRuntime.configure();
    }

    private final Bundle bundle;
    private final Autoencoder autoencoder;
    private final LatentDenoiser denoiser;
    private Model encoder;
    private Model decoder;
    private Model unet;
    /** Decoders of the looks other than faithful, by look name, loaded on first use. */
    private final Map<String, Model> lookDecoders = new TreeMap<>();
    private float[] context;
    private boolean closed;

    private final MemoryBudget budget;

    private ModelRuntime(Bundle bundle, MemoryBudget budget, MemoryEstimates estimates) {
        this.bundle = bundle;
        this.budget = budget.resolve(bundle);
        this.autoencoder = new TiledAutoencoder(new TorchAutoencoder(this), bundle, estimates, this.budget);
        this.denoiser = bundle.hasUnet()
                ? new DdimSampler(bundle, new TiledNoisePredictor(new TorchNoisePredictor(this), bundle, estimates, this.budget))
                : null;
    }

    /** Prepares a runtime for {@code bundle} with the bundle's default {@link MemoryBudget}; loads nothing yet. */
    public static ModelRuntime open(Bundle bundle) {
        return open(bundle, MemoryBudget.BUNDLE_DEFAULT);
    }

    /**
     * Prepares a runtime whose networks each use about {@code budget} ({@link MemoryBudget#BUNDLE_DEFAULT}:
     * the bundle's {@link Bundle#defaultBudget()}) of native memory per call at most, tiling larger images (tile sizes from the bundle's {@link Bundle#memoryEstimates()}); loads nothing yet.
     */
    public static ModelRuntime open(Bundle bundle, MemoryBudget budget) {
        return open(bundle, budget, bundle.memoryEstimates());
    }

    /** As {@link #open(Bundle, MemoryBudget)} with explicit estimates instead of the bundle's (tests, tools). */
    public static ModelRuntime open(Bundle bundle, MemoryBudget budget, MemoryEstimates estimates) {
        return new ModelRuntime(bundle, budget, estimates);
    }

    /** The budget each network call is held to, never {@link MemoryBudget#BUNDLE_DEFAULT}. */
    public MemoryBudget budget() {
        return budget;
    }

    public Bundle bundle() {
        return bundle;
    }

    public Autoencoder autoencoder() {
        return autoencoder;
    }

    /** The UNet denoiser, present iff the bundle has {@code unet.pt}. */
    public Optional<LatentDenoiser> denoiser() {
        return Optional.ofNullable(denoiser);
    }

    synchronized Model encoder() {
        checkOpen();
        if (encoder == null) {
            encoder = DjlRuntime.load(bundle.encoderFile());
        }
        return encoder;
    }

    synchronized Model decoder() {
        checkOpen();
        if (decoder == null) {
            decoder = DjlRuntime.load(bundle.decoderFile());
        }
        return decoder;
    }

    /**
     * The decoder of {@code look}: {@link #decoder()} for {@value Bundle#FAITHFUL_LOOK} (or null), else the look's
     * own file, loaded once and kept like the other networks.
     *
     * @throws ModelException if the bundle has no such look
     */
    synchronized Model decoder(String look) {
        if (look == null || Bundle.FAITHFUL_LOOK.equals(look)) {
            return decoder();
        }
        checkOpen();
        Model m = lookDecoders.get(look);
        if (m == null) {
            Path file = bundle.lookDecoder(look).orElseThrow(() -> new ModelException("bundle " + bundle.name()
                    + " has no look '" + look + "' (it has: " + String.join(", ", bundle.looks()) + ")"));
            m = DjlRuntime.load(file);
            lookDecoders.put(look, m);
        }
        return m;
    }

    synchronized Model unet() {
        checkOpen();
        if (unet == null) {
            Path file = bundle.unetFile().orElseThrow(() -> new ModelException("bundle " + bundle.name() + " has no UNet"));
            unet = DjlRuntime.load(file);
        }
        return unet;
    }

    synchronized float[] context() {
        if (context == null) {
            context = bundle.readContext();
        }
        return context;
    }

    /** Which networks are loaded, for tests and diagnostics: e.g. "decoder,unet" or "unet,look:sharp". */
    synchronized String loadedNetworks() {
        StringBuilder sb = new StringBuilder();
        if (encoder != null) {
            sb.append("encoder");
        }
        if (decoder != null) {
            sb.append(sb.length() > 0 ? "," : "").append("decoder");
        }
        if (unet != null) {
            sb.append(sb.length() > 0 ? "," : "").append("unet");
        }
        for (String look : lookDecoders.keySet()) {
            sb.append(sb.length() > 0 ? "," : "").append("look:").append(look);
        }
        return sb.toString();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ModelRuntime is closed");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        RuntimeException first = null;
        List<Model> models = new ArrayList<>(Arrays.asList(encoder, decoder, unet));
        models.addAll(lookDecoders.values());
        for (Model m : models) {
            try {
                if (m != null) {
                    m.close();
                }
            } catch (RuntimeException e) {
                // keep closing the others; native memory of every model must be released
                first = first == null ? e : first;
            }
        }
        encoder = decoder = unet = null;
        lookDecoders.clear();
        if (first != null) {
            throw new ModelException("closing the model bundle failed: " + first.getMessage(), first);
        }
    }
}

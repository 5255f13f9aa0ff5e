package dev.sdc.model;

import ai.djl.Model;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The networks of one bundle, loaded on first use and then kept for the life of the process, so a batch of
 * images pays for loading once. A decode-only run never loads the encoder, an encode-only run never loads
 * the decoder or UNet. Thread-safe loading; closing frees the native models.
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
    private float[] context;
    private boolean closed;

    private ModelRuntime(Bundle bundle) {
        this.bundle = bundle;
        this.autoencoder = new TorchAutoencoder(this);
        this.denoiser = bundle.hasUnet() ? new TorchUnetDenoiser(this) : null;
    }

    /** Prepares a runtime for {@code bundle}; loads nothing yet. */
    public static ModelRuntime open(Bundle bundle) {
        return new ModelRuntime(bundle);
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

    /** Which networks are loaded, for tests and diagnostics: e.g. "decoder,unet". */
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
        for (Model m : new Model[] {encoder, decoder, unet}) {
            if (m != null) {
                m.close();
            }
        }
        encoder = decoder = unet = null;
    }
}

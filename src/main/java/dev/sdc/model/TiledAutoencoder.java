package dev.sdc.model;

import dev.sdc.image.Padding;
import dev.sdc.image.RgbImage;

/**
 * An {@link Autoencoder} that bounds the networks' native memory by running them on overlapping tiles
 * ({@link TileGrid}) sized from a {@link MemoryBudget} and the bundle's {@link MemoryEstimates}. Encoder
 * tiles are blended in latent space, decoder tiles in pixel space (float sums, rounded once), both with
 * {@link TileGrid}'s ramps. An image whose tile plan is a single tile takes the untiled path unchanged.
 */
final class TiledAutoencoder implements Autoencoder {
    private final TorchAutoencoder inner;
    private final Bundle bundle;
    private final MemoryEstimates estimates;
    private final MemoryBudget budget;

    TiledAutoencoder(TorchAutoencoder inner, Bundle bundle, MemoryEstimates estimates, MemoryBudget budget) {
        this.inner = inner;
        this.bundle = bundle;
        this.estimates = estimates;
        this.budget = budget;
    }

    /** Encoder tiles over a padded {@code width × height} image, in pixels. */
    TileGrid encodeGrid(int width, int height) {
        return TileGrid.plan(width, height, budget.maxUnits(estimates.encoderBytesPerPixel()),
                estimates.overlapPx(), bundle.alignment());
    }

    /** Decoder tiles over a {@code width × height} latent, in latent pixels. */
    TileGrid decodeGrid(int width, int height) {
        int f = bundle.factor();
        long perLatentPixel = Math.multiplyExact(estimates.decoderBytesPerPixel(), (long) f * f);
        return TileGrid.plan(width, height, budget.maxUnits(perLatentPixel), estimates.latentOverlap(f),
                bundle.latentAlignment());
    }

    @Override
    public Latent encode(RgbImage padded) {
        int a = bundle.alignment();
        if (padded.width() % a != 0 || padded.height() % a != 0) {
            throw new IllegalArgumentException("image " + padded.width() + "x" + padded.height()
                    + " is not padded to a multiple of " + a);
        }
        TileGrid grid = encodeGrid(padded.width(), padded.height());
        if (grid.isSingle()) {
            return inner.encode(padded);
        }
        int f = bundle.factor();
        TileGrid latentGrid = grid.scaledDown(f);
        float[] z = latentGrid.blend(bundle.channels(), t -> inner.encode(
                Padding.crop(padded, t.x() * f, t.y() * f, t.width() * f, t.height() * f)).data());
        return new Latent(bundle.channels(), latentGrid.height(), latentGrid.width(), z);
    }

    @Override
    public RgbImage decode(Latent raw) {
        return decode(raw, Bundle.FAITHFUL_LOOK);
    }

    /** Every look's decoder shares the contract and the memory estimates of {@code decoder.pt}, so one tile plan serves all. */
    @Override
    public RgbImage decode(Latent raw, String look) {
        bundle.requireChannels(raw);
        int unit = bundle.latentAlignment();
        if (raw.width() % unit != 0 || raw.height() % unit != 0) {
            return inner.decode(raw, look); // not a latent of a padded image: nothing to tile on
        }
        TileGrid grid = decodeGrid(raw.width(), raw.height());
        if (grid.isSingle()) {
            return inner.decode(raw, look);
        }
        int f = bundle.factor();
        TileGrid pixelGrid = grid.scaledUp(f);
        float[] planar = pixelGrid.blend(3, t -> inner.decodePlanar(
                raw.crop(t.x() / f, t.y() / f, t.width() / f, t.height() / f), look));
        return TorchAutoencoder.fromPlanar(planar, pixelGrid.width(), pixelGrid.height(), bundle.pixelLow(),
                bundle.pixelHigh());
    }
}

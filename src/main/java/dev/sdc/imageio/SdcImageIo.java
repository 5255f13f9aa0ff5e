package dev.sdc.imageio;

import dev.sdc.codec.BundleCodec;
import dev.sdc.codec.SharedCodecs;

import java.nio.file.Path;

/** What the ImageIO reader and writer share: the codec (one per JVM and bundle) and the sdc signature. */
final class SdcImageIo {
    /** System property naming the bundle folder the plugin uses; unset: {@code $SDC_MODEL}, else the built-in one. */
    static final String MODEL_PROPERTY = "sdc.model";
    static final String[] NAMES = {"sdc", "SDC"};
    static final String[] SUFFIXES = {"sdc"};
    static final String[] MIME_TYPES = {"image/x-sdc"};
    static final String VENDOR = "sdc";
    static final String VERSION = "1";

    private SdcImageIo() {
    }

    /** The shared codec of the bundle {@value #MODEL_PROPERTY} names (or the default), loaded on first use. */
    static BundleCodec codec() {
        String dir = System.getProperty(MODEL_PROPERTY);
        return SharedCodecs.get(dir == null || dir.isBlank() ? null : Path.of(dir));
    }
}

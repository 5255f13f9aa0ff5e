package dev.sdc.metadata;

import dev.sdc.bitstream.SdcMetadata;

import java.util.Locale;

/**
 * What {@code --metadata} keeps: {@code all}, {@code none}, or a comma-separated LIST of {@code exif},
 * {@code xmp}, {@code icc} (the same words as cwebp's {@code -metadata}; like cjxl and avifenc, EXIF and XMP
 * are kept by default). {@code icc} keeps only the profile's name: the pixels are converted to sRGB, so the
 * profile itself no longer describes them. {@code all} also keeps the EXIF thumbnail and the MakerNote,
 * which the default drops.
 */
public record MetadataPolicy(boolean exif, boolean xmp, boolean iccName, boolean keepAll) {
    public static final MetadataPolicy DEFAULT = new MetadataPolicy(true, true, true, false);
    public static final MetadataPolicy ALL = new MetadataPolicy(true, true, true, true);
    public static final MetadataPolicy NONE = new MetadataPolicy(false, false, false, false);

    public boolean any() {
        return exif || xmp || iccName;
    }

    /** What of a file's metadata a decode writes back: its EXIF and XMP blocks where this policy keeps them. */
    public SdcMetadata keep(SdcMetadata md) {
        SdcMetadata kept = exif ? md : md.without(SdcMetadata.EXIF);
        return xmp ? kept : kept.without(SdcMetadata.XMP);
    }

    /**
     * Parses {@code all}, {@code none} or a LIST.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad word
     */
    public static MetadataPolicy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return ALL;
        }
        if (t.equals("none")) {
            return NONE;
        }
        boolean exif = false, xmp = false, icc = false;
        // split with -1 keeps the empty items of "," or "exif,": each item of a list names a kind
        for (String item : t.split(",", -1)) {
            String word = item.trim();
            if (word.equals("all") || word.equals("none")) {
                throw new IllegalArgumentException("'" + word + "' stands alone, not in a list (got '" + text + "')");
            }
            if (word.isEmpty()) {
                throw new IllegalArgumentException("an empty item in '" + text + "' (use all, none, or a list of exif, xmp, icc)");
            }
            switch (word) {
                case "exif" -> exif = true;
                case "xmp" -> xmp = true;
                case "icc" -> icc = true;
                default -> throw new IllegalArgumentException("unknown metadata kind '" + word
                        + "' (use all, none, or a list of exif, xmp, icc)");
            }
        }
        return new MetadataPolicy(exif, xmp, icc, false);
    }
}

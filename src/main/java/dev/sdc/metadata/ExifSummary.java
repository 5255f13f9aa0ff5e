package dev.sdc.metadata;

/**
 * What {@code sdc info} shows of an EXIF block: capture time, camera, lens, whether GPS is present.
 *
 * @param captureTime DateTimeOriginal, else DateTime; null if neither
 * @param camera      Make and Model, null if neither
 * @param lens        LensModel, null if absent
 * @param gps         a GPS IFD with at least a latitude or longitude
 */
public record ExifSummary(String captureTime, String camera, String lens, boolean gps) {
    /** Summarises {@code exif}; a block that does not parse gives an all-empty summary. */
    public static ExifSummary of(byte[] exif) {
        TiffIfds.Parsed p;
        try {
            p = TiffIfds.parse(exif);
        } catch (TiffIfds.MalformedException e) {
            return new ExifSummary(null, null, null, false);
        }
        TiffIfds.Ifd ifd0 = p.ifd0();
        TiffIfds.Entry exifPtr = ifd0.find(TiffIfds.EXIF_IFD);
        TiffIfds.Ifd sub = exifPtr == null ? null : exifPtr.sub();
        String time = sub == null ? null : TiffIfds.ascii(sub.find(0x9003));
        if (time == null || time.isEmpty()) {
            time = TiffIfds.ascii(ifd0.find(0x0132));
        }
        String make = TiffIfds.ascii(ifd0.find(0x010F));
        String model = TiffIfds.ascii(ifd0.find(0x0110));
        String camera = make == null ? model : model == null ? make : model.startsWith(make) ? model : make + " " + model;
        String lens = sub == null ? null : TiffIfds.ascii(sub.find(0xA434));
        TiffIfds.Entry gpsPtr = ifd0.find(TiffIfds.GPS_IFD);
        boolean gps = gpsPtr != null && gpsPtr.sub() != null
                && (gpsPtr.sub().find(0x0002) != null || gpsPtr.sub().find(0x0004) != null);
        return new ExifSummary(time, camera, lens, gps);
    }
}

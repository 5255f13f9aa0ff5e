package dev.sdc.metadata;

import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParserFactory;
import java.io.StringReader;
import java.util.regex.Pattern;

/** Checks an XMP packet is well-formed XML and makes its orientation true of upright pixels. */
final class XmpPackets {
    private static final Pattern ORIENTATION_ATTR = Pattern.compile("tiff:Orientation\\s*=\\s*([\"'])\\d+\\1");
    private static final Pattern ORIENTATION_ELEM = Pattern.compile("<tiff:Orientation>\\s*\\d+\\s*</tiff:Orientation>");

    private XmpPackets() {
    }

    /** The packet with tiff:Orientation set to 1. */
    static String clean(String xmp) throws MalformedMetadataException {
        checkWellFormed(xmp);
        return upright(xmp);
    }

    /** {@code xmp} with any tiff:Orientation set to 1, the packet otherwise as it is. */
    static String upright(String xmp) {
        String s = ORIENTATION_ATTR.matcher(xmp).replaceAll("tiff:Orientation=$11$1");
        return ORIENTATION_ELEM.matcher(s).replaceAll("<tiff:Orientation>1</tiff:Orientation>");
    }

    /** Parses without DTDs or external entities (an XMP packet has neither). */
    static void checkWellFormed(String xmp) throws MalformedMetadataException {
        String body = xmp.strip();
        if (body.startsWith("\uFEFF")) {
            body = body.substring(1);
        }
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.newSAXParser().parse(new InputSource(new StringReader(body)), new DefaultHandler());
        } catch (Exception e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new MalformedMetadataException("malformed XMP (" + m.replace('\n', ' ') + ")");
        }
    }
}

package dev.sdc;

import dev.sdc.bitstream.SdcHeader;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the tool version from the jar manifest and the file format version it writes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"sdc " + (v == null ? "dev" : v) + " (file format " + SdcHeader.VERSION + ")"};
    }
}

package dev.sdc.codec;

import dev.sdc.ExitCode;
import dev.sdc.SdcException;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** The dithering rule on synthetic size curves (no model): which file AUTO takes, and the error. */
class PaletteRateControlTest {
    /** Dithered files cost 20 bytes a colour, nearest-colour ones 10 (1 colour: the same file either way). */
    private static final Function<EncodeOptions, byte[]> SIZES = o ->
            new byte[100 + (o.colors() == 1 ? 10 : (o.dither() ? 20 : 10) * o.colors())];

    private static RateControlled encode(long budget, PaletteRateControl.Policy policy, EncodeOptions base) {
        return new PaletteRateControl(SIZES, policy).encode(RateTarget.bytes(budget), 100, 100, base);
    }

    @Test
    void autoTakesNearestColourWhenItBuysEnoughMoreColoursAtSmallPalettes() {
        RateControlled r = encode(500, PaletteRateControl.Policy.AUTO, EncodeOptions.defaults());
        assertFalse(r.options().dither());
        assertEquals(40, r.options().colors()); // dithered: 20 colours; 40 >= 1.1 x 20
        assertEquals(500, r.bytes().length);
    }

    @Test
    void autoKeepsDitheringOnceThePaletteIsLarge() {
        long budget = 100 + 20 * PaletteRateControl.NEAREST_BELOW;
        RateControlled r = encode(budget, PaletteRateControl.Policy.AUTO, EncodeOptions.defaults());
        assertTrue(r.options().dither());
        assertEquals(PaletteRateControl.NEAREST_BELOW, r.options().colors());
        RateControlled full = encode(100_000, PaletteRateControl.Policy.AUTO, EncodeOptions.defaults());
        assertTrue(full.options().dither());
        assertEquals(256, full.options().colors());
        assertEquals(1, full.trials());
    }

    @Test
    void fixedPoliciesAndNoDitherBase() {
        assertTrue(encode(500, PaletteRateControl.Policy.DITHER, EncodeOptions.defaults()).options().dither());
        assertEquals(20, encode(500, PaletteRateControl.Policy.DITHER, EncodeOptions.defaults()).options().colors());
        RateControlled r = encode(500, PaletteRateControl.Policy.DITHER, new EncodeOptions(256, false, 0.5f, 2));
        assertFalse(r.options().dither(), "a no-dither base restricts every policy to nearest colour");
        assertEquals(40, r.options().colors());
        assertEquals(0.5f, r.options().strength());
        assertEquals(2, r.options().steps());
    }

    @Test
    void budgetBelowOneColourIsTargetUnreachable() {
        SdcException e = assertThrows(SdcException.class,
                () -> encode(109, PaletteRateControl.Policy.AUTO, EncodeOptions.defaults()));
        assertEquals(ExitCode.TARGET_UNREACHABLE, e.exitCode());
        assertTrue(e.getMessage().contains("target 109 B is too small for this 100x100 image"), e.getMessage());
        assertTrue(e.getMessage().contains("has 110 bytes"), e.getMessage());
        SdcException bpp = assertThrows(SdcException.class, () -> new PaletteRateControl(SIZES)
                .encode(RateTarget.bitsPerPixel(0.05), 100, 100, EncodeOptions.defaults()));
        assertTrue(bpp.getMessage().contains("target 0.05 bpp (62 B)"), bpp.getMessage());
    }
}

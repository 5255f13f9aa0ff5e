package dev.sdc.cli;

import dev.sdc.codec.Preset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --preset} case-insensitively and lists the valid names when it cannot. */
final class PresetConverter implements ITypeConverter<Preset> {
    @Override
    public Preset convert(String value) {
        try {
            return Preset.byId(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

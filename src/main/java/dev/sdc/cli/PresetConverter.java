package dev.sdc.cli;

import dev.sdc.codec.Preset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses {@code --preset} case-insensitively and lists the valid names when it cannot. */
final class PresetConverter implements ITypeConverter<Preset> {
    @Override
    public Preset convert(String value) {
        for (Preset p : Preset.values()) {
            if (p.id().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new TypeConversionException("unknown preset '" + value + "' (known: "
                + Arrays.stream(Preset.values()).map(Preset::id).collect(Collectors.joining(", ")) + ")");
    }
}

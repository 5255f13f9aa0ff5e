package dev.sdc.cli;

import dev.sdc.codec.BundleCodec;
import dev.sdc.model.Bundle;
import dev.sdc.model.DefaultBundle;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --model DIR}, shared by the commands that need networks. */
final class ModelOption {
    @Option(names = {"-m", "--model"}, paramLabel = "DIR",
            description = "Model bundle folder (default: $SDC_MODEL, else the bundle built into sdc).")
    Path model;

    BundleCodec openCodec() {
        return new BundleCodec(Bundle.load(DefaultBundle.resolve(model)));
    }
}

package dev.sdc.model;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.nio.file.Paths;

/**
 * Child-JVM main for {@link NativeLogLevelTest}: loads {@code testdata/torch/warn.pt} through
 * {@link DjlRuntime} and runs it twice, printing forward(1) to stdout. A usage error is reported as the CLI
 * would: one "sdc: " line and exit code 2.
 */
final class WarningModuleProbe {
    private WarningModuleProbe() {
    }

    public static void main(String[] args) {
        try (Model model = DjlRuntime.load(Paths.get("testdata", "torch", "warn.pt"));
             NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < 2; i++) {
                NDList out = DjlRuntime.forward(model, manager, new NDList(manager.create(new float[] {1f})), "warn.pt");
                System.out.println(out.singletonOrThrow().toFloatArray()[0]);
            }
        } catch (dev.sdc.SdcException e) {
            System.err.println("sdc: " + e.getMessage());
            System.exit(e.exitCode().code());
        }
    }
}

package dev.sdc.bitstream.scalar;

/**
 * Prints the coded size against the ideal code length for Laplace latents (docs/SCALAR.md, "Measurements"):
 * {@code mvn -B -q -o test-compile && java -cp target/classes:target/test-classes dev.sdc.bitstream.scalar.ScalarOverheadReport}
 */
public final class ScalarOverheadReport {
    private ScalarOverheadReport() {
    }

    public static void main(String[] args) {
        java.util.Random rnd = new java.util.Random(11);
        ContextModel m = TestModels.standard();
        // the same latents as ScalarLatentCoderTest.codedSizeIsWithinASmallOverheadOfTheIdealLength
        for (double b : new double[] {0.05, 0.5, 2, 6, 30}) {
            int[][][] q = TestModels.laplaceLatent(rnd, 4, 64, 96, b);
            double ideal = ScalarLatentCoder.idealBits(q, m);
            long actual = 8L * ScalarLatentCoder.encode(q, m).length;
            System.out.printf("scale %.2f ideal %.1f bits, coded %d bits, overhead %.1f bits (%.4f %%)%n",
                    b, ideal, actual, actual - ideal, 100 * (actual - ideal) / ideal);
        }
    }
}

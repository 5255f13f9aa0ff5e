package dev.sdc.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Results grouped by codec × setting, with means that skip NaN. Order: sdc's codecs, then the baselines, each
 * in first-seen order; within a codec the settings of one kind ({@code colors=}, {@code bpp=}) ascend by
 * value. First-seen order alone is not enough: a scalar target the first image cannot reach is first seen
 * after the larger ones.
 */
record Aggregate(String codec, String setting, List<EvalResult> rows) {
    static List<Aggregate> of(List<EvalResult> results) {
        Map<String, Aggregate> groups = new LinkedHashMap<>();
        // Codec-major order: all sdc settings, then each baseline's, as the summary table reads best.
        for (EvalResult r : results) {
            groups.computeIfAbsent(r.codec() + "\u0000" + r.setting(),
                    k -> new Aggregate(r.codec(), r.setting(), new ArrayList<>())).rows().add(r);
        }
        List<Aggregate> out = new ArrayList<>(groups.values());
        List<String> codecs = out.stream().map(Aggregate::codec).distinct().toList();
        // sdc's own rows (sdc, sdc-scalar, ...) lead even when a mode was evaluated after the baselines
        List<String> kinds = out.stream().map(a -> kind(a.setting())).distinct().toList();
        out.sort(Comparator.<Aggregate>comparingInt(a -> SdcSetting.isSdcCodec(a.codec()) ? 0 : 1)
                .thenComparingInt(a -> codecs.indexOf(a.codec()))
                .thenComparingInt(a -> kinds.indexOf(kind(a.setting())))
                .thenComparingDouble(a -> value(a.setting())));
        return out;
    }

    /** The images of a run that have any row: what a complete group covers. */
    static Set<String> images(List<EvalResult> results) {
        Set<String> all = new LinkedHashSet<>();
        results.forEach(r -> all.add(r.image()));
        return all;
    }

    /** Whether this group has a row for each of {@code images} (a scalar target some image missed has not). */
    boolean covers(Set<String> images) {
        return rows.stream().map(EvalResult::image).collect(Collectors.toSet()).containsAll(images);
    }

    /** {@code "colors"} of {@code "colors=16"}; a setting without a value is its own kind. */
    private static String kind(String setting) {
        int eq = setting.indexOf('=');
        return eq < 0 ? setting : setting.substring(0, eq);
    }

    /** 16 of {@code "colors=16"}; 0 when there is no number (the sort is stable, so first-seen order stays). */
    private static double value(String setting) {
        int eq = setting.indexOf('=');
        try {
            return eq < 0 ? 0 : Double.parseDouble(setting.substring(eq + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    double mean(ToDoubleFunction<EvalResult> f) {
        double sum = 0;
        int n = 0;
        for (EvalResult r : rows) {
            double v = f.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    long count(String fit) {
        return rows.stream().filter(r -> r.fit().equals(fit)).count();
    }
}

package dev.sdc.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Results grouped by codec × setting, in first-seen order, with means that skip NaN. */
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
        out.sort(java.util.Comparator.<Aggregate>comparingInt(a -> SdcSetting.isSdcCodec(a.codec()) ? 0 : 1)
                .thenComparingInt(a -> codecs.indexOf(a.codec())));
        return out;
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

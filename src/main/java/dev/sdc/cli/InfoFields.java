package dev.sdc.cli;

import com.google.gson.GsonBuilder;
import dev.sdc.Messages;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file's {@code sdc info}, built once and printed either as text (one {@code label: value} line per
 * field, values aligned) or, for {@code --json}, as one JSON object on one line. Each text line names the
 * JSON members it stands for, so the two outputs cannot drift apart.
 */
final class InfoFields {
    /** Column of the text values: the longest label, "denoise default:", plus one space. */
    private static final int VALUE_COLUMN = 17;

    private final StringBuilder text = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();

    /**
     * Adds a text line {@code label: value} and the JSON members {@code members}: alternating dotted paths
     * ("metadata.exif.bytes") and values (String, Number, Boolean, List, or null for JSON null).
     */
    InfoFields line(String label, String value, Object... members) {
        String head = label + ":";
        // one printable line: a file's ICC name or camera string may hold escape sequences or newlines
        text.append(head).append(" ".repeat(Math.max(1, VALUE_COLUMN - head.length()))).append(Messages.oneLine(value))
                .append(System.lineSeparator());
        for (int i = 0; i + 1 < members.length; i += 2) {
            put((String) members[i], members[i + 1]);
        }
        return this;
    }

    /** A JSON member with no text line of its own. */
    InfoFields member(String path, Object value) {
        put(path, value);
        return this;
    }

    @SuppressWarnings("unchecked")
    private void put(String path, Object value) {
        Map<String, Object> node = json;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], value);
    }

    String text() {
        return text.toString();
    }

    /** One line, no trailing newline: JSON Lines when several files are listed. */
    String json() {
        return new GsonBuilder().disableHtmlEscaping().serializeNulls().create().toJson(json);
    }
}

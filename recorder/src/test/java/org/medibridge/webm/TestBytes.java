package org.medibridge.webm;

import java.util.HexFormat;

/** Byte vectors written as annotated hex: whitespace ignored, {@code //} starts a comment. */
public final class TestBytes {
    private TestBytes() { }

    public static byte[] hex(String annotated) {
        StringBuilder sb = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int c = line.indexOf("//");
            sb.append((c >= 0 ? line.substring(0, c) : line).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(sb.toString());
    }
}

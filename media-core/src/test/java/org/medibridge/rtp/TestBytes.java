package org.medibridge.rtp;

/** Test helper: hex with spaces, '|' separators and {@code //} comments per row. */
public final class TestBytes {
    private TestBytes() {
    }

    public static byte[] hex(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n")) {
            int comment = line.indexOf("//");
            String data = comment >= 0 ? line.substring(0, comment) : line;
            for (char c : data.toCharArray()) {
                if (Character.digit(c, 16) >= 0) {
                    digits.append(c);
                }
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Copies {@code data} into a larger array at {@code off}, so tests catch absolute/relative offset mix-ups. */
    public static byte[] at(int off, byte[] data, int tail) {
        byte[] out = new byte[off + data.length + tail];
        java.util.Arrays.fill(out, (byte) 0x5A);
        System.arraycopy(data, 0, out, off, data.length);
        return out;
    }
}

package org.medibridge.appointment;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The id syntax shared by appointments and participants: 1-64 of {@code [A-Za-z0-9_.-]}, and not
 * {@code .} or {@code ..} (they would be path segments with a meaning of their own in a URL).
 */
public final class AppointmentIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private AppointmentIds() {
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    /** A fresh appointment id: 128 random bits as 32 lowercase hex digits. */
    public static String generate() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

package org.medibridge.recordings;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.medibridge.appointment.AppointmentIds;

/**
 * Recording ids and file names, both safe as one path segment of a URL and of the file system:
 * only {@code [A-Za-z0-9_.-]}, never {@code .} or {@code ..}. Recording ids also start with a
 * letter or digit, so they never collide with the catalog's own hidden entries.
 */
public final class RecordingIds {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The metadata file in each recording's directory. */
    public static final String METADATA = "recording.json";

    private RecordingIds() {
    }

    /** A fresh id: {@code rec-} and 96 random bits as 24 hex digits. */
    public static String generate() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "rec-" + HexFormat.of().formatHex(b);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** An appointment id ({@link AppointmentIds}) that is also a safe directory name. */
    public static boolean isValidAppointmentId(String id) {
        return AppointmentIds.isValid(id) && !id.startsWith(".");
    }

    /**
     * A participant's media file name such as {@code pat-1.webm}: one path segment (never {@code .}
     * or {@code ..}), never the metadata file or a temporary file.
     */
    public static boolean isValidFileName(String name) {
        return name != null && FILE.matcher(name).matches() && !name.equals(".") && !name.equals("..")
                && !name.equals(METADATA) && !name.endsWith(".tmp");
    }
}

package org.medibridge.sdp;

/** A session description that is not well-formed; the message names the line and the problem. */
public final class SdpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;

    /** @param lineNumber 1-based line number, or 0 when the problem is not on one line */
    public SdpParseException(int lineNumber, String problem) {
        super(lineNumber > 0 ? "line " + lineNumber + ": " + problem : problem);
        this.lineNumber = lineNumber;
    }

    /** 1-based line number of the offending line, 0 for whole-description problems. */
    public int lineNumber() {
        return lineNumber;
    }
}

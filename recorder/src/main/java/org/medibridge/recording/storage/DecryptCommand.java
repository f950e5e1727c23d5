package org.medibridge.recording.storage;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code recording-decrypt [--salvage] IN OUT}: decrypts an encrypted recording with the key in
 * {@code MEDIBRIDGE_RECORDING_KEY}. OUT must not exist.
 *
 * <p>Exit codes: 0 decrypted and finalized; 3 decrypted but not finalized (the server stopped
 * mid-recording: OUT holds everything up to the last complete chunk, and a WebM is still playable);
 * 1 failed (wrong key, modified or damaged file: nothing written; try {@code --salvage} for a damaged
 * tail); 2 usage or key configuration error.
 */
public final class DecryptCommand {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FINALIZED = 3;

    private DecryptCommand() { }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, System::getenv);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        boolean salvage = args.length > 0 && args[0].equals("--salvage");
        int first = salvage ? 1 : 0;
        if (args.length - first != 2) {
            err.println("usage: recording-decrypt [--salvage] IN OUT   (key in " + RecordingKeys.ENV + ")");
            return USAGE;
        }
        String keyText = env.apply(RecordingKeys.ENV);
        if (keyText == null) {
            err.println(RecordingKeys.ENV + " is not set");
            return USAGE;
        }
        byte[] key;
        try {
            key = RecordingKeys.parse(keyText);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        Path in = Path.of(args[first]);
        Path outFile = Path.of(args[first + 1]);
        try {
            RecordingDecryptor.Result r = RecordingDecryptor.decrypt(in, outFile, key, salvage);
            for (String w : r.warnings()) {
                err.println("warning: " + w);
            }
            out.println("decrypted " + r.bytes() + " bytes in " + r.chunks() + " chunks to " + outFile
                    + (r.finalized() ? "" : " (NOT FINALIZED: the recording was cut short)"));
            return r.finalized() ? OK : NOT_FINALIZED;
        } catch (IOException e) {
            err.println("recording-decrypt failed: " + e.getMessage());
            return FAILED;
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }
}

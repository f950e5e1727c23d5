package org.medibridge.recording;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records what a recorder writes: "A<ms>", "V<ms>K" / "V<ms>", "size WxH", "finish", "close". */
final class FakeSink implements FrameSink {
    /** One written frame; {@code data} is a copy. */
    record Written(boolean video, long timecode, boolean keyframe, byte[] data) {
    }

    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final List<Written> frames = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void setVideoSize(int width, int height) {
        events.add("size " + width + "x" + height);
    }

    @Override
    public void writeAudio(long timecodeMillis, byte[] buf, int off, int len) {
        events.add("A" + timecodeMillis);
        frames.add(new Written(false, timecodeMillis, true, java.util.Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void writeVideo(long timecodeMillis, boolean keyframe, byte[] buf, int off, int len) {
        events.add("V" + timecodeMillis + (keyframe ? "K" : ""));
        frames.add(new Written(true, timecodeMillis, keyframe, java.util.Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void finish() throws IOException {
        events.add("finish");
    }

    @Override
    public void close() {
        events.add("close");
    }
}

package org.medibridge.webm;

import static org.medibridge.webm.MatroskaIds.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.medibridge.recording.storage.RecordingOutput;

/**
 * A WebM (Matroska subset) muxer: one Opus audio track (number 1) and one VP8 video track (number 2),
 * written from already-encoded frames, never transcoded. Spec: RFC 9559 (Matroska), RFC 8794 (EBML),
 * https://www.webmproject.org/docs/container/.
 *
 * <h2>Layout</h2>
 * <pre>
 * [0, 4096)  EBML header | Segment (8-byte size: unknown until finish) | SeekHead | Info | Tracks | Void
 * 4096 ...   Cluster | Cluster | ... | Cues (at finish)
 * </pre>
 * Everything {@link #finish()} patches lives in {@link RecordingOutput#HEADER_REGION} in fixed-size
 * slots: the Segment size (8-byte VINT), Duration (an 11-byte Void replaced by an 8-byte float), the
 * SeekHead entry for Cues (a 21-byte Void replaced by a Seek with an 8-byte position), PixelWidth and
 * PixelHeight (2-byte uints). Clusters have exact sizes.
 *
 * <h2>Clusters and crash safety</h2>
 * Blocks are gathered in memory and a Cluster is appended and {@link RecordingOutput#flush() flushed}
 * as a whole when it closes, so a file cut at any moment ends on a Cluster boundary (a Segment of
 * unknown size, as in live WebM) and plays up to the last closed Cluster. Each cluster also updates
 * Duration in the header region, so a cut file reports the duration of what it holds. A cluster closes before a
 * video keyframe (so clusters start at keyframes when possible), when it would span 5 s or more, when
 * a relative timecode would leave the signed 16-bit SimpleBlock range, or past 8 MiB.
 *
 * <h2>Timecodes</h2>
 * Milliseconds since the start of the recording (TimecodeScale 1 ms). Per track they must not
 * decrease: a timecode not after that track's previous one is moved to 1 ms after it, and a negative one
 * to 0 (both counted in {@link #clampedTimecodes()}). Across tracks the caller may be slightly out of
 * order (arrival order): blocks are buffered per cluster, the Cluster timecode is the smallest in it,
 * and blocks are written sorted by timecode (stable, so each track keeps its order). Only a block that
 * arrives after its cluster was written lands in the next cluster; Matroska allows that.
 *
 * <p>Not thread-safe: one recorder thread owns a writer. After an I/O error it refuses further writes.
 */
public final class WebmWriter implements Closeable {
    static final int AUDIO_TRACK = 1;
    static final int VIDEO_TRACK = 2;
    static final long MAX_CLUSTER_MILLIS = 5_000;
    static final int MAX_CLUSTER_BYTES = 8 << 20;
    static final int MAX_TITLE_BYTES = 1024;
    static final int DEFAULT_WIDTH = 640;
    static final int DEFAULT_HEIGHT = 480;
    /** libopus' encoder lookahead: 312 samples at 48 kHz = 6.5 ms (RFC 7845 §4.2 pre-skip). */
    static final int OPUS_PRE_SKIP = 312;
    /** Matroska's Opus mapping: SeekPreRoll 80 ms, CodecDelay = pre-skip in ns (webmproject "Opus"). */
    static final long OPUS_SEEK_PRE_ROLL_NS = 80_000_000L;
    static final long OPUS_CODEC_DELAY_NS = OPUS_PRE_SKIP * 1_000_000_000L / 48_000;
    private static final int SEEK_ENTRY_BYTES = 21;
    private static final int DURATION_BYTES = 11;

    private final RecordingOutput out;
    // Positions in the header region of what finish() and setVideoSize() patch.
    private final long segmentSizeAt;
    private final long segmentDataStart;
    private final long durationAt;
    private final long cuesSeekAt;
    private final long pixelWidthAt;
    private final long pixelHeightAt;
    private final ClusterBuffer cluster = new ClusterBuffer();
    private final CueIndex cues = new CueIndex();
    private final EbmlBuffer scratch = new EbmlBuffer(64);

    private final long[] lastTimecode = {-1, -1, -1};
    private final long[] lastDelta = {0, 20, 33};
    private long clamped;
    private long lastAudioDurationMillis;
    private int width = DEFAULT_WIDTH;
    private int height = DEFAULT_HEIGHT;
    private boolean failed;
    private boolean finished;
    private boolean closed;

    /**
     * Writes the head (EBML header, Segment, SeekHead, Info, Tracks, Void padding to exactly
     * {@link RecordingOutput#HEADER_REGION} bytes) to {@code out}, which must be empty.
     *
     * @param title the Segment title (Info/Title), at most 1024 UTF-8 bytes; null or empty for none
     */
    public WebmWriter(RecordingOutput out, String title) throws IOException {
        if (out.size() != 0) {
            throw new IllegalArgumentException("output is not empty");
        }
        byte[] titleBytes = title == null ? new byte[0] : title.getBytes(StandardCharsets.UTF_8);
        if (titleBytes.length > MAX_TITLE_BYTES) {
            throw new IllegalArgumentException("title longer than " + MAX_TITLE_BYTES + " UTF-8 bytes");
        }
        this.out = out;
        EbmlBuffer h = new EbmlBuffer(RecordingOutput.HEADER_REGION);
        writeEbmlHeader(h);

        // Segment: size unknown (8-byte VINT of all ones) until finish() patches it.
        h.id(SEGMENT);
        segmentSizeAt = h.position();
        h.unknownSize();
        segmentDataStart = h.position();

        // SeekHead: Info and Tracks, and a Void where the Cues entry goes at finish().
        int seekHead = h.startMaster(SEEK_HEAD, 1);
        int infoSeekAt = seekEntry(h, INFO, 0);
        int tracksSeekAt = seekEntry(h, TRACKS, 0);
        cuesSeekAt = h.position();
        h.voidElement(SEEK_ENTRY_BYTES);
        h.endMaster(seekHead);

        patchLong(h, infoSeekAt, h.position() - segmentDataStart);
        int info = h.startMaster(INFO, 2);
        h.uint(TIMECODE_SCALE, 1_000_000);
        durationAt = h.position();
        h.voidElement(DURATION_BYTES);
        if (titleBytes.length > 0) {
            h.binary(TITLE, titleBytes);
        }
        h.string(MUXING_APP, "MediBridge");
        h.string(WRITING_APP, "MediBridge");
        h.endMaster(info);

        patchLong(h, tracksSeekAt, h.position() - segmentDataStart);
        int tracks = h.startMaster(TRACKS, 2);
        int audio = h.startMaster(TRACK_ENTRY, 2);
        h.uint(TRACK_NUMBER, AUDIO_TRACK).uint(TRACK_UID, AUDIO_TRACK).uint(TRACK_TYPE, TRACK_TYPE_AUDIO)
                .uint(FLAG_LACING, 0).string(CODEC_ID, "A_OPUS").binary(CODEC_PRIVATE, opusHead())
                .uint(CODEC_DELAY, OPUS_CODEC_DELAY_NS).uint(SEEK_PRE_ROLL, OPUS_SEEK_PRE_ROLL_NS);
        int audioSettings = h.startMaster(AUDIO, 1);
        h.float64(SAMPLING_FREQUENCY, 48_000).uint(CHANNELS, 2);
        h.endMaster(audioSettings);
        h.endMaster(audio);
        int video = h.startMaster(TRACK_ENTRY, 2);
        h.uint(TRACK_NUMBER, VIDEO_TRACK).uint(TRACK_UID, VIDEO_TRACK).uint(TRACK_TYPE, TRACK_TYPE_VIDEO)
                .uint(FLAG_LACING, 0).string(CODEC_ID, "V_VP8");
        int videoSettings = h.startMaster(VIDEO, 1);
        h.uint(PIXEL_WIDTH, width, 2);
        pixelWidthAt = h.position() - 2;
        h.uint(PIXEL_HEIGHT, height, 2);
        pixelHeightAt = h.position() - 2;
        h.endMaster(videoSettings);
        h.endMaster(video);
        h.endMaster(tracks);

        h.voidElement(RecordingOutput.HEADER_REGION - h.position());
        out.append(h.array(), 0, h.position());
        out.flush();
    }

    /** RFC 8794 §11.2 EBML header for DocType webm, version 4 (CodecDelay, SeekPreRoll), read version 2. */
    static void writeEbmlHeader(EbmlBuffer h) {
        int ebml = h.startMaster(EBML, 1);
        h.uint(EBML_VERSION, 1).uint(EBML_READ_VERSION, 1).uint(EBML_MAX_ID_LENGTH, 4)
                .uint(EBML_MAX_SIZE_LENGTH, 8).string(DOC_TYPE, "webm").uint(DOC_TYPE_VERSION, 4)
                .uint(DOC_TYPE_READ_VERSION, 2);
        h.endMaster(ebml);
    }

    /** RFC 7845 §5.1 identification header: 2 channels, 48 kHz, channel mapping family 0. */
    static byte[] opusHead() {
        byte[] b = new byte[19];
        System.arraycopy("OpusHead".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
        b[8] = 1;                        // version
        b[9] = 2;                        // output channel count
        b[10] = (byte) OPUS_PRE_SKIP;    // pre-skip, little-endian
        b[11] = (byte) (OPUS_PRE_SKIP >>> 8);
        int rate = 48_000;               // input sample rate, little-endian
        b[12] = (byte) rate;
        b[13] = (byte) (rate >>> 8);
        b[14] = (byte) (rate >>> 16);
        b[15] = (byte) (rate >>> 24);
        // output gain 0 (b[16..17]), mapping family 0 (b[18])
        return b;
    }

    /** A Seek entry with an 8-byte SeekPosition; returns the offset of that position's value. */
    private static int seekEntry(EbmlBuffer h, int id, long position) {
        int seek = h.startMaster(SEEK, 1);
        h.id(SEEK_ID).size(4).be(id & 0xFFFFFFFFL, 4);
        h.uint(SEEK_POSITION, position, 8);
        h.endMaster(seek);
        return h.position() - 8;
    }

    private static void patchLong(EbmlBuffer h, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            h.array()[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** Patches PixelWidth/PixelHeight (1..65535) in the header region. */
    public void setVideoSize(int width, int height) throws IOException {
        if (width < 1 || width > 0xFFFF || height < 1 || height > 0xFFFF) {
            throw new IllegalArgumentException("video size " + width + "x" + height);
        }
        checkWritable();
        if (width == this.width && height == this.height) {
            return;
        }
        scratch.reset();
        scratch.u16(width).u16(height);
        try {
            out.overwriteHeader(pixelWidthAt, scratch.array(), 0, 2);
            out.overwriteHeader(pixelHeightAt, scratch.array(), 2, 2);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        this.width = width;
        this.height = height;
    }

    /** One Opus packet = one SimpleBlock with the keyframe flag set. Empty packets are ignored. */
    public void writeAudio(long timecodeMillis, byte[] buf, int off, int len) throws IOException {
        write(AUDIO_TRACK, timecodeMillis, true, buf, off, len);
    }

    /** One whole VP8 frame = one SimpleBlock. Empty frames are ignored. */
    public void writeVideo(long timecodeMillis, boolean keyframe, byte[] buf, int off, int len) throws IOException {
        write(VIDEO_TRACK, timecodeMillis, keyframe, buf, off, len);
    }

    private void write(int track, long timecode, boolean keyframe, byte[] buf, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        checkWritable();
        if (len == 0) {
            return;
        }
        // Per track, timecodes strictly increase: players and ffmpeg reject two blocks of one track
        // at the same time (non-monotonic DTS), so an equal or earlier one moves 1 ms past the last.
        if (track == AUDIO_TRACK && lastTimecode[track] >= 0) {
            // Audio is one contiguous run of samples: a packet may not start before the previous
            // one ended (RFC 6716 §3.1 gives its duration), or decoders see overlapping audio
            // (ffmpeg: "non monotonically increasing dts"). A late start moves to the end of the
            // previous packet; a gap (DTX, loss) stays a gap.
            long earliest = lastTimecode[track] + lastAudioDurationMillis;
            if (timecode < earliest) {
                timecode = earliest;
                clamped++;
            }
            lastAudioDurationMillis = opusDurationMillis(buf, off, len);
        } else if (track == AUDIO_TRACK) {
            lastAudioDurationMillis = opusDurationMillis(buf, off, len);
        }
        if (timecode < 0 || lastTimecode[track] >= 0 && timecode <= lastTimecode[track]) {
            timecode = lastTimecode[track] >= 0 ? lastTimecode[track] + 1 : 0;
            clamped++;
        }
        if (!cluster.isEmpty() && (track == VIDEO_TRACK && keyframe
                || cluster.spanWith(timecode) > Short.MAX_VALUE
                || timecode - cluster.minTimecode() >= MAX_CLUSTER_MILLIS
                || cluster.frameBytes() + len > MAX_CLUSTER_BYTES)) {
            closeCluster();
        }
        if (lastTimecode[track] >= 0 && timecode > lastTimecode[track]) {
            lastDelta[track] = timecode - lastTimecode[track];
        }
        lastTimecode[track] = timecode;
        cluster.add(track, timecode, keyframe, buf, off, len);
    }

    private void closeCluster() throws IOException {
        if (cluster.isEmpty()) {
            return;
        }
        try {
            long position = out.size() - segmentDataStart;
            cluster.indexCues(cues, position);
            EbmlBuffer bytes = cluster.serialize();
            out.append(bytes.array(), 0, bytes.position());
            writeDuration();   // so that a file cut later still tells players how long it is
            out.flush();
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            cluster.clear();
        }
    }

    /** Replaces the Duration slot (an 11-byte Void at first) with Duration as an 8-byte float. */
    private void writeDuration() throws IOException {
        scratch.reset();
        scratch.float64(DURATION, durationMillis());
        out.overwriteHeader(durationAt, scratch.array(), 0, scratch.position());
    }

    /** The end of the last frame seen: its timecode plus that track's last frame interval. */
    public long durationMillis() {
        long d = 0;
        for (int t = AUDIO_TRACK; t <= VIDEO_TRACK; t++) {
            if (lastTimecode[t] >= 0) {
                d = Math.max(d, lastTimecode[t] + lastDelta[t]);
            }
        }
        return d;
    }

    /**
     * Duration of an Opus packet from its TOC byte (RFC 6716 §3.1): the frame size of its
     * configuration times the number of frames (code 0: 1, codes 1 and 2: 2, code 3: from the
     * frame count byte). 20 ms when the packet is too short to tell.
     */
    static long opusDurationMillis(byte[] buf, int off, int len) {
        if (len < 1) {
            return 20;
        }
        int toc = buf[off] & 0xFF;
        int config = toc >> 3;
        double frameMs;
        if (config < 12) { // SILK-only: 10, 20, 40, 60 ms
            frameMs = new double[] {10, 20, 40, 60}[config & 3];
        } else if (config < 16) { // Hybrid: 10, 20 ms
            frameMs = (config & 1) == 0 ? 10 : 20;
        } else { // CELT-only: 2.5, 5, 10, 20 ms
            frameMs = new double[] {2.5, 5, 10, 20}[config & 3];
        }
        int frames;
        switch (toc & 3) {
            case 0 -> frames = 1;
            case 1, 2 -> frames = 2;
            default -> frames = len >= 2 ? (buf[off + 1] & 0x3F) : 1;
        }
        return Math.max(1, Math.round(frameMs * Math.max(1, frames)));
    }

    /** Timecodes clamped so far (earlier than the track's previous one, or negative). */
    public long clampedTimecodes() {
        return clamped;
    }

    /**
     * Writes the last Cluster and the Cues, patches Duration, the Segment size and the SeekHead entry
     * for Cues, flushes and closes the output.
     */
    public void finish() throws IOException {
        checkWritable();
        try {
            closeCluster();
            long segmentEnd = out.size();
            if (!cues.isEmpty()) {
                long cuesPosition = out.size() - segmentDataStart;
                EbmlBuffer bytes = cues.serialize();
                out.append(bytes.array(), 0, bytes.position());
                scratch.reset();
                int seek = scratch.startMaster(SEEK, 1);
                scratch.id(SEEK_ID).size(4).be(CUES & 0xFFFFFFFFL, 4);
                scratch.uint(SEEK_POSITION, cuesPosition, 8);
                scratch.endMaster(seek);
                out.overwriteHeader(cuesSeekAt, scratch.array(), 0, scratch.position());
                segmentEnd = out.size();
            }
            writeDuration();
            scratch.reset();
            scratch.size(segmentEnd - segmentDataStart, 8);
            out.overwriteHeader(segmentSizeAt, scratch.array(), 0, scratch.position());
            out.flush();
            finished = true;
        } catch (IOException e) {
            failed = true;
            throw e;
        } finally {
            closed = true;
            out.close();
        }
    }

    /**
     * If {@link #finish()} was not called: appends and flushes the Cluster in progress (the file stays
     * playable, without Duration or Cues), then closes the output. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                closeCluster();
            }
        } finally {
            out.close();
        }
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new IOException("WebM writer is closed");
        }
        if (failed) {
            throw new IOException("WebM writer failed on an earlier I/O error");
        }
    }
}

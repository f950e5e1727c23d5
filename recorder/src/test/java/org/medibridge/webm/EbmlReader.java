package org.medibridge.webm;

import static org.medibridge.webm.MatroskaIds.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A minimal EBML reader for tests: walks the element tree of a WebM file (RFC 8794), knowing which
 * ids are masters; tolerates a file cut short (the last elements are marked truncated).
 */
final class EbmlReader {
    static final Set<Integer> MASTERS = Set.of(EBML, SEGMENT, SEEK_HEAD, SEEK, INFO, TRACKS, TRACK_ENTRY, VIDEO, AUDIO,
            CLUSTER, CUES, CUE_POINT, CUE_TRACK_POSITIONS, 0xA0 /* BlockGroup */, 0x1254C367 /* Tags */,
            0x7373 /* Tag */, 0x63C0 /* Targets */, 0x67C8 /* SimpleTag */);

    record Element(int id, long start, long dataStart, long size, boolean unknownSize, boolean truncated,
                   byte[] file, List<Element> children) {
        long dataEnd() {
            return dataStart + size;
        }

        long end() {
            return dataEnd();
        }

        Element child(int childId) {
            return children.stream().filter(e -> e.id == childId).findFirst()
                    .orElseThrow(() -> new AssertionError(String.format("no child %X in %X", childId, id)));
        }

        List<Element> all(int childId) {
            return children.stream().filter(e -> e.id == childId).toList();
        }

        boolean has(int childId) {
            return children.stream().anyMatch(e -> e.id == childId);
        }

        long uint() {
            long v = 0;
            for (long i = dataStart; i < dataEnd(); i++) {
                v = (v << 8) | (file[(int) i] & 0xFF);
            }
            return v;
        }

        double floatValue() {
            long bits = uint();
            return size == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        }

        byte[] bytes() {
            return Arrays.copyOfRange(file, (int) dataStart, (int) dataEnd());
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }

    /** One frame from a SimpleBlock (or a BlockGroup's Block), with its absolute timecode. */
    record Frame(int track, long timecode, boolean keyframe, byte[] data) { }

    private EbmlReader() { }

    static List<Element> parse(byte[] file) {
        return parse(file, 0, file.length);
    }

    static List<Element> parse(byte[] b, long from, long to) {
        List<Element> list = new ArrayList<>();
        long p = from;
        while (p < to) {
            long start = p;
            int idLen = Integer.numberOfLeadingZeros(b[(int) p] & 0xFF) - 24 + 1;
            if (idLen > 4 || p + idLen > to) {
                throw new AssertionError("bad element id at " + p);
            }
            int id = 0;
            for (int i = 0; i < idLen; i++) {
                id = (id << 8) | (b[(int) p++] & 0xFF);
            }
            if (p >= to) {
                break;   // cut after the id
            }
            int sizeLen = Integer.numberOfLeadingZeros(b[(int) p] & 0xFF) - 24 + 1;
            if (sizeLen > 8 || p + sizeLen > to) {
                throw new AssertionError("bad size at " + p);
            }
            long size = (b[(int) p++] & 0xFF) & (0xFF >>> sizeLen);
            boolean allOnes = size == (0xFF >>> sizeLen);
            for (int i = 1; i < sizeLen; i++) {
                int x = b[(int) p++] & 0xFF;
                allOnes &= x == 0xFF;
                size = (size << 8) | x;
            }
            boolean unknown = allOnes;
            if (unknown) {
                size = to - p;
            }
            boolean truncated = p + size > to;
            if (truncated) {
                size = to - p;
            }
            List<Element> children = MASTERS.contains(id) ? parse(b, p, p + size) : List.of();
            list.add(new Element(id, start, p, size, unknown, truncated, b, children));
            p += size;
        }
        return list;
    }

    static Element segment(byte[] file) {
        List<Element> top = parse(file);
        if (top.size() != 2 || top.get(0).id() != EBML || top.get(1).id() != SEGMENT) {
            throw new AssertionError("expected EBML header + Segment, got " + top.size() + " top-level elements");
        }
        return top.get(1);
    }

    /** Every frame of every complete Cluster, in file order. */
    static List<Frame> frames(byte[] file) {
        List<Frame> frames = new ArrayList<>();
        for (Element cluster : segment(file).all(CLUSTER)) {
            if (cluster.truncated()) {
                continue;
            }
            long clusterTime = cluster.child(TIMECODE).uint();
            for (Element e : cluster.children()) {
                if (e.id() == SIMPLE_BLOCK) {
                    frames.add(block(e, clusterTime, null));
                } else if (e.id() == 0xA0) {
                    Element block = e.child(0xA1);
                    frames.add(block(block, clusterTime, !e.has(0xFB) /* no ReferenceBlock */));
                }
            }
        }
        return frames;
    }

    private static Frame block(Element e, long clusterTime, Boolean keyframe) {
        byte[] b = e.bytes();
        if ((b[0] & 0xFF) < 0x80) {
            throw new AssertionError("track numbers above 127 not supported here");
        }
        int track = b[0] & 0x7F;
        short relative = (short) ((b[1] & 0xFF) << 8 | (b[2] & 0xFF));
        int flags = b[3] & 0xFF;
        if ((flags & 0x06) != 0) {
            throw new AssertionError("laced block");
        }
        boolean key = keyframe != null ? keyframe : (flags & 0x80) != 0;
        return new Frame(track, clusterTime + relative, key, Arrays.copyOfRange(b, 4, b.length));
    }
}

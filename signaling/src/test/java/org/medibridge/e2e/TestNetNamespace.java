package org.medibridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway network namespace for one test: {@code ip netns add}, a veth pair with a /30 that this
 * object picks (in 10.213.0.0/16; host side {@link #hostAddress()}, namespace side
 * {@link #namespaceAddress()}), {@code lo} up inside, IPv6 off on both veth ends, and no other route
 * in the namespace. A process started with {@link #command} can therefore reach nothing but the
 * host-side veth address (and its own loopback), and the host reaches the namespace only through the
 * veth: test traffic never touches the machine's other addresses.
 *
 * <p>Names carry this JVM's pid ({@code mbtest-PID-TAG}, host link {@code mbtTAGh}); {@link #create}
 * first removes namespaces and host links left over by runs whose JVM is gone (an aborted run), and
 * never touches those of a live JVM (a concurrent run). {@link #close} deletes both, also when the
 * test failed; it is also registered as a shutdown hook.
 *
 * <p>Needs root and {@code ip} (iproute2). Without them {@link #create} throws {@link Unavailable},
 * which tests turn into a skip, or a failure under {@code CI=true} (see {@link BrowserRequirement}).
 */
public final class TestNetNamespace implements AutoCloseable {

    public static final Path IP = Paths.get(System.getProperty("medibridge.e2e.ip", "/usr/sbin/ip"));

    private static final String NS_PREFIX = "mbtest-";
    private static final Pattern NS_NAME = Pattern.compile("mbtest-(\\d+)-([0-9a-f]{6})");
    private static final Pattern HOST_LINK = Pattern.compile("mbt([0-9a-f]{6})h");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String hostLink;
    private final String nsLink;
    private final String hostAddress;
    private final String namespaceAddress;
    private final Thread shutdownHook;
    private volatile boolean closed;
    private boolean uplinkLoss;

    /** The prerequisites (root, iproute2, permission to create namespaces) are missing. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private TestNetNamespace(String name, String hostLink, String nsLink, String hostAddress, String namespaceAddress) {
        this.name = name;
        this.hostLink = hostLink;
        this.nsLink = nsLink;
        this.hostAddress = hostAddress;
        this.namespaceAddress = namespaceAddress;
        this.shutdownHook = new Thread(this::close, "netns-cleanup-" + name);
    }

    /** Why this machine cannot create test namespaces, or null if it can (as far as can be told up front). */
    public static String missingPrerequisite() {
        if (!Files.isExecutable(IP)) {
            return "needs " + IP + " (iproute2) to create its test network namespace";
        }
        try {
            Object uid = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                return "needs root (uid 0, here " + uid + ") to create its test network namespace";
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "needs Linux /proc to check for root: " + e;
        }
        return null;
    }

    /** Creates the namespace and its veth pair (removing stale ones of aborted runs first). */
    public static TestNetNamespace create() throws Unavailable {
        String missing = missingPrerequisite();
        if (missing != null) {
            throw new Unavailable(missing);
        }
        removeStale();
        long pid = ProcessHandle.current().pid();
        String tag = String.format("%06x", RANDOM.nextInt(1 << 24));
        int[] subnet = pickSubnet();
        String host = "10.213." + subnet[0] + "." + (subnet[1] + 1);
        String peer = "10.213." + subnet[0] + "." + (subnet[1] + 2);
        TestNetNamespace ns = new TestNetNamespace(NS_PREFIX + pid + "-" + tag, "mbt" + tag + "h", "mbt" + tag + "n",
                host, peer);
        Result add = run(List.of(IP.toString(), "netns", "add", ns.name));
        if (add.code != 0) {
            if (add.output.contains("not permitted") || add.output.contains("Permission denied")) {
                throw new Unavailable("cannot create a network namespace (needs CAP_SYS_ADMIN/CAP_NET_ADMIN): "
                        + add.output.strip());
            }
            throw new IllegalStateException("ip netns add " + ns.name + " failed: " + add.output);
        }
        Runtime.getRuntime().addShutdownHook(ns.shutdownHook);
        try {
            ns.setUp();
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private void setUp() {
        String prefix = "/30";
        ip("link", "add", hostLink, "type", "veth", "peer", "name", nsLink);
        disableIpv6(null, hostLink);
        ip("link", "set", nsLink, "netns", name);
        ip("addr", "add", hostAddress + prefix, "dev", hostLink);
        ip("link", "set", hostLink, "up");
        disableIpv6(name, nsLink);
        ip("-n", name, "addr", "add", namespaceAddress + prefix, "dev", nsLink);
        ip("-n", name, "link", "set", nsLink, "up");
        ip("-n", name, "link", "set", "lo", "up");
    }

    /** Without IPv6 the browsers gather no link-local candidates and nothing sends router solicitations. */
    private static void disableIpv6(String namespace, String link) {
        String file = "/proc/sys/net/ipv6/conf/" + link + "/disable_ipv6";
        if (namespace == null) {
            try {
                Files.writeString(Paths.get(file), "1");
            } catch (IOException e) {
                // no IPv6 in this kernel: nothing to turn off
            }
        } else {
            run(List.of(IP.toString(), "netns", "exec", namespace, "sh", "-c",
                    "[ ! -e " + file + " ] || echo 1 > " + file));
        }
    }

    public String name() {
        return name;
    }

    /** The host (root namespace) end of the veth: where servers of the test listen. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The host end's link name: a qdisc on it (e.g. tbf) shapes what the host sends into the namespace. */
    public String hostLink() {
        return hostLink;
    }

    /** The namespace end of the veth. */
    public String namespaceAddress() {
        return namespaceAddress;
    }

    /** {@code ip netns exec NAME command...}: the command runs with this namespace's network only. */
    public List<String> command(List<String> command) {
        List<String> full = new ArrayList<>(List.of(IP.toString(), "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    public static final Path TC = Paths.get(System.getProperty("medibridge.e2e.tc", "/usr/sbin/tc"));
    public static final Path NFT = Paths.get(System.getProperty("medibridge.e2e.nft", "/usr/sbin/nft"));

    /** Why this machine cannot impair a namespace's link (tc, nft), or null if it can. */
    public static String missingImpairmentTools() {
        if (!Files.isExecutable(TC)) {
            return "needs " + TC + " (iproute2) to limit a test link's rate";
        }
        if (!Files.isExecutable(NFT)) {
            return "needs " + NFT + " (nftables) to drop packets on a test link";
        }
        return null;
    }

    /**
     * Limits what reaches the namespace (the host-side veth's egress: the namespace's downlink) to
     * {@code kbit} kbit/s with a token bucket ({@code tc tbf}); packets that would wait more than
     * {@code latencyMillis} in its queue are dropped, as a congested access link does.
     */
    public void limitDownlink(int kbit, int latencyMillis) {
        // burst: about 10 ms at the rate, but at least a few full-size packets
        int burstBytes = Math.max(kbit * 1000 / 8 / 100, 6 * 1500);
        run(List.of(TC.toString(), "qdisc", "del", "dev", hostLink, "root"));
        tc("qdisc", "add", "dev", hostLink, "root", "tbf", "rate", kbit + "kbit", "burst", Integer.toString(burstBytes),
                "latency", latencyMillis + "ms");
    }

    /** Removes the downlink limit (the veth forwards at full speed again). */
    public void unlimitDownlink() {
        run(List.of(TC.toString(), "qdisc", "del", "dev", hostLink, "root"));
    }

    /**
     * Drops {@code percent} % of the UDP packets arriving in the namespace, at random (nftables
     * {@code numgen random} on the namespace veth's ingress hook: real loss on the wire, which the
     * sender cannot see, unlike a drop in an OUTPUT hook).
     */
    public void dropDownlinkPercent(int percent) {
        clearDownlinkLoss();
        String rules = "table netdev mbtest_loss {\n"
                + "  chain ingress {\n"
                + "    type filter hook ingress device " + nsLink + " priority 0; policy accept;\n"
                + "    meta l4proto udp numgen random mod 100 < " + percent + " counter drop\n"
                + "  }\n"
                + "}\n";
        Result r = run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "-f", "-"), rules);
        if (r.code != 0) {
            throw new IllegalStateException("nft (loss rule) failed (" + r.code + "): " + r.output);
        }
    }

    /** Packets the loss rule dropped so far (its nftables counter), or -1 without the rule. */
    public long droppedDownlinkPackets() {
        Result r = run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "list", "table", "netdev", "mbtest_loss"));
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(r.output);
        return r.code == 0 && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Drops {@code percent} % of the UDP packets the namespace sends to {@code udpPort} on the
     * host, at random: an nftables rule on the host's input hook for this namespace's host link
     * (real loss, unseen by the sender). Removed by {@link #clearUplinkLoss} and {@link #close}.
     */
    public void dropUplinkPercent(int percent, int udpPort) {
        clearUplinkLoss();
        String rules = "table inet " + uplinkLossTable() + " {\n"
                + "  chain in {\n"
                + "    type filter hook input priority 0; policy accept;\n"
                + "    iifname \"" + hostLink + "\" udp dport " + udpPort + " numgen random mod 100 < " + percent
                + " counter drop\n"
                + "  }\n"
                + "}\n";
        Result r = run(List.of(NFT.toString(), "-f", "-"), rules);
        if (r.code != 0) {
            throw new IllegalStateException("nft (uplink loss rule) failed (" + r.code + "): " + r.output);
        }
        uplinkLoss = true;
    }

    /** Removes the uplink loss rule, if any (it lives in the host's ruleset, not the namespace's). */
    public void clearUplinkLoss() {
        if (uplinkLoss) {
            run(List.of(NFT.toString(), "delete", "table", "inet", uplinkLossTable()));
            uplinkLoss = false;
        }
    }

    private String uplinkLossTable() {
        return "mbtest_uplink_" + hostLink;
    }

    /**
     * Moves the namespace to a new address, as a phone does when it leaves Wi-Fi for cellular: the
     * namespace gets {@code 10.214.x.y/32} (x.y as in its first address) with a route to the host
     * from it, the host a route back over this test's link, and the first address is removed.
     * Sockets bound to the old address, and TCP connections from it, go silent: nothing tells the
     * browser. The routes go with the namespace and its link.
     *
     * @return the new address
     */
    public String moveToNewAddress() {
        String[] octets = namespaceAddress.split("\\.");
        String moved = "10.214." + octets[2] + "." + octets[3];
        ip("-n", name, "addr", "add", moved + "/32", "dev", nsLink);
        ip("route", "add", moved + "/32", "dev", hostLink);
        // More specific than the /30's connected route, so it wins before that route goes.
        ip("-n", name, "route", "add", hostAddress + "/32", "dev", nsLink, "src", moved);
        ip("-n", name, "addr", "del", namespaceAddress + "/30", "dev", nsLink);
        return moved;
    }

    /**
     * Puts the namespace's UDP behind a NAT, as a home router or a mobile carrier does: every UDP
     * flow to the host gets a random source port (nftables {@code snat ... fully-random} in the
     * namespace), and a flow's mapping is forgotten after {@code idleSeconds} without packets
     * (the namespace's own conntrack UDP timeouts; carriers' are often 30 s). After an outage
     * longer than that, the same browser socket reaches the server from a new port.
     */
    public void natUdp(int idleSeconds) {
        String rules = "table ip mbtest_nat {\n"
                + "  chain post {\n"
                + "    type nat hook postrouting priority 100; policy accept;\n"
                + "    ip daddr " + hostAddress + " meta l4proto udp snat to " + namespaceAddress + ":20000-60000 fully-random\n"
                + "  }\n"
                + "}\n";
        Result r = run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "-f", "-"), rules);
        if (r.code != 0) {
            throw new IllegalStateException("nft (NAT) failed (" + r.code + "): " + r.output);
        }
        // Per-namespace sysctls (the NAT table above loaded conntrack, so the files exist).
        Result t = run(List.of(IP.toString(), "netns", "exec", name, "sh", "-c",
                "echo " + idleSeconds + " > /proc/sys/net/netfilter/nf_conntrack_udp_timeout && echo " + idleSeconds
                        + " > /proc/sys/net/netfilter/nf_conntrack_udp_timeout_stream"));
        if (t.code != 0) {
            throw new IllegalStateException("sysctl (conntrack UDP timeouts) failed (" + t.code + "): " + t.output);
        }
    }

    /**
     * Loses every UDP packet into and out of the namespace, as a network that drops UDP for a while
     * does: media and ICE die, NAT mappings age out, TCP (signaling, page reports) goes on.
     * {@link #unblockUdp} lifts it; so does {@link #close}.
     *
     * <p>The loss is silent for the senders, as on a real network. Packets in are dropped at
     * prerouting before connection tracking. Packets out are exempted from connection tracking
     * ({@code notrack} at output, so they refresh no NAT mapping) and dropped on the veth's egress
     * hook. Dropping them in the output hook instead would fail the browsers' {@code sendto} with
     * EPERM: Firefox then fails an ICE check pair at once, without retransmitting, and when its ICE
     * stream is declared failed (5 s later) its DTLS transport errors for good; a later ICE restart
     * brings ICE back but no media. Real NAT outages lose packets without telling the sender.
     */
    public void blockUdp() {
        String rules = "table inet mbtest_udp_outage {\n"
                + "  chain in {\n"
                + "    type filter hook prerouting priority -300; policy accept;\n"
                + "    meta l4proto udp counter drop\n"
                + "  }\n"
                + "  chain out {\n"
                + "    type filter hook output priority -300; policy accept;\n"
                + "    meta l4proto udp notrack\n"
                + "  }\n"
                + "}\n"
                + "table netdev mbtest_udp_outage_egress {\n"
                + "  chain out {\n"
                + "    type filter hook egress device " + nsLink + " priority 0; policy accept;\n"
                + "    meta l4proto udp counter drop\n"
                + "  }\n"
                + "}\n";
        Result r = run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "-f", "-"), rules);
        if (r.code != 0) {
            throw new IllegalStateException("nft (UDP outage) failed (" + r.code + "): " + r.output);
        }
    }

    /** Lifts {@link #blockUdp}. */
    public void unblockUdp() {
        run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "delete", "table", "inet", "mbtest_udp_outage"));
        run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "delete", "table", "netdev",
                "mbtest_udp_outage_egress"));
    }

    public void clearDownlinkLoss() {
        run(List.of(IP.toString(), "netns", "exec", name, NFT.toString(), "delete", "table", "netdev", "mbtest_loss"));
    }

    private void tc(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(TC.toString());
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output);
        }
    }

    /**
     * Deletes the namespace and the veth pair. Kill the processes started in the namespace first:
     * while one lives, the namespace (and its veth end) outlive {@code ip netns del}, so the host link
     * is deleted explicitly too.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        clearUplinkLoss();
        killProcessesIn(name);
        run(List.of(IP.toString(), "netns", "del", name));
        if (linkExists(hostLink)) {
            run(List.of(IP.toString(), "link", "del", hostLink));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    @Override
    public String toString() {
        return name + " (" + hostLink + " " + hostAddress + " <-> " + nsLink + " " + namespaceAddress + ")";
    }

    // ------------------------------------------------------------------ helpers

    /** Namespaces and host links of earlier runs whose JVM no longer exists. */
    private static void removeStale() {
        // Links first: a host link listed now had its namespace created before, so a namespace
        // listed afterwards that is missing means it is really gone (not about to be created).
        List<String> hostLinks = new ArrayList<>();
        for (String line : run(List.of(IP.toString(), "-o", "link", "show")).output.split("\n")) {
            String[] parts = line.split(":\\s+");
            if (parts.length >= 2 && HOST_LINK.matcher(parts[1].split("@")[0]).matches()) {
                hostLinks.add(parts[1].split("@")[0]);
            }
        }
        Set<String> liveTags = new HashSet<>();
        for (String line : run(List.of(IP.toString(), "netns", "list")).output.split("\n")) {
            String ns = line.trim().split("\\s+")[0];
            Matcher m = NS_NAME.matcher(ns);
            if (!m.matches()) {
                continue;
            }
            long pid = Long.parseLong(m.group(1));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                liveTags.add(m.group(2)); // a concurrent run: not ours to touch
            } else {
                killProcessesIn(ns); // browsers an aborted run left behind in its namespace
                run(List.of(IP.toString(), "netns", "del", ns));
            }
        }
        for (String link : hostLinks) {
            Matcher m = HOST_LINK.matcher(link);
            if (m.matches() && !liveTags.contains(m.group(1)) && linkExists(link)) {
                run(List.of(IP.toString(), "link", "del", link));
            }
        }
    }

    /** A random /30 in 10.213.0.0/16 that no address or route of this machine overlaps. */
    private static int[] pickSubnet() {
        String addrs = run(List.of(IP.toString(), "-4", "-o", "addr", "show")).output;
        String routes = run(List.of(IP.toString(), "-4", "route", "show", "table", "all")).output;
        List<long[]> used = new ArrayList<>();
        for (String text : List.of(addrs, routes)) {
            Matcher m = Pattern.compile("(?<![\\d.])(\\d{1,3}(?:\\.\\d{1,3}){3})(?:/(\\d{1,2}))?").matcher(text);
            while (m.find()) {
                long a = ipv4(m.group(1));
                int len = m.group(2) == null ? 32 : Integer.parseInt(m.group(2));
                if (len == 0) {
                    continue; // default routes overlap everything; they do not make an address taken
                }
                used.add(new long[] {a, len});
            }
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int third = RANDOM.nextInt(256);
            int fourth = RANDOM.nextInt(64) * 4;
            long net = ipv4("10.213." + third + "." + fourth);
            boolean free = true;
            for (long[] u : used) {
                int len = (int) Math.min(u[1], 30);
                long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
                if ((u[0] & mask) == (net & mask)) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return new int[] {third, fourth};
            }
        }
        throw new IllegalStateException("no free /30 in 10.213.0.0/16 for a test namespace");
    }

    private static long ipv4(String dotted) {
        try {
            InetAddress a = InetAddress.getByName(dotted);
            if (!(a instanceof Inet4Address)) {
                return 0;
            }
            long v = 0;
            for (byte b : a.getAddress()) {
                v = (v << 8) | (b & 0xff);
            }
            return v;
        } catch (UnknownHostException e) {
            return 0;
        }
    }

    /**
     * Ends what still runs inside a test namespace ({@code ip netns pids}): only processes a test
     * started there can be in it, e.g. a browser whose page was not closed, or one an aborted run
     * (JVM killed) left behind.
     */
    private static void killProcessesIn(String namespace) {
        List<ProcessHandle> inside = new ArrayList<>();
        for (String pid : run(List.of(IP.toString(), "netns", "pids", namespace)).output.split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(inside::add);
            }
        }
        inside.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle p : inside) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                // still going (or interrupted): the explicit link deletion cuts it off anyway
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static boolean linkExists(String link) {
        return run(List.of(IP.toString(), "link", "show", "dev", link)).code == 0;
    }

    private void ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(IP.toString());
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.code + "): " + r.output);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd) {
        return run(cmd, null);
    }

    private static Result run(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + " (timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}

package org.medibridge.ice;

import java.net.URL;
import java.util.Enumeration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ice4j configuration, applied as system properties before any ice4j class reads its config.
 *
 * <p>Why this must come first: ice4j reads Typesafe Config lazily and caches it, and the first
 * {@code Agent} otherwise starts the AWS mapping harvester, which makes HTTP calls to the cloud
 * metadata address (a stall of seconds, and traffic nobody expects from a medical server).
 * {@code -D} flags given by an operator win over our defaults (we only set unset keys), except
 * the AWS switch, which stays off. An {@code application.conf} on the classpath would override
 * system properties for the keys it sets, so we warn if one is there.
 */
final class Ice4jSettings {
    /** 8 MiB of socket receive buffer absorbs bursts while the single receive thread is busy; the kernel caps it at net.core.rmem_max. */
    static final int RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(Ice4jSettings.class);
    private static boolean applied;

    private Ice4jSettings() {
    }

    static synchronized void apply() {
        if (applied) {
            return;
        }
        applied = true;
        // No cloud metadata lookups, ever (both the new key and the legacy one ice4j checks first).
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        System.setProperty("org.ice4j.ice.harvest.DISABLE_AWS_HARVESTER", "true");
        // Only the single-port harvester: never open an ephemeral port per session.
        setIfAbsent("ice4j.harvest.udp.use-dynamic-ports", "false");
        setIfAbsent("ice4j.harvest.udp.receive-buffer-size", Integer.toString(RECEIVE_BUFFER_BYTES));
        // The STUN mapping harvester list stays at its default (empty): no STUN server lookups.
        // We advertise the configured public address ourselves instead of asking ice4j to map it.
        if (System.getProperty("ice4j.harvest.mapping.stun.addresses") != null
                || System.getProperty("org.ice4j.ice.harvest.STUN_MAPPING_HARVESTER_ADDRESSES") != null) {
            log.warn("a STUN mapping harvester is configured; every new session will query it");
        }
        // Send on the pair the browser's media last arrived on, not on the first pair nominated: a
        // browser moves its selected pair (an interface goes away, a better path appears) and its
        // media moves with it. Only pairs that passed a STUN check qualify, so a spoofed source
        // cannot redirect media.
        setIfAbsent("ice4j.send-to-last-received-from-address", "true");
        // Remote addresses in ice4j logs are patient IPs: redact them.
        setIfAbsent("ice4j.redact-remote-addresses", "true");
        // The software attribute in every STUN message advertises ice4j's version: leave it empty.
        setIfAbsent("ice4j.software", "");
        warnAboutApplicationConf();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void warnAboutApplicationConf() {
        try {
            Enumeration<URL> confs = Ice4jSettings.class.getClassLoader().getResources("application.conf");
            while (confs.hasMoreElements()) {
                log.warn("{} is on the classpath; its ice4j.* keys override the system properties set here",
                        confs.nextElement());
            }
        } catch (java.io.IOException e) {
            log.debug("cannot look for application.conf: {}", e.toString());
        }
    }
}

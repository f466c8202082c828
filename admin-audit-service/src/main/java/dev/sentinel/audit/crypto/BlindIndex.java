package dev.sentinel.audit.crypto;

import dev.sentinel.audit.config.AuditConfig;
import dev.sentinel.audit.config.Secrets;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keyed hashes derived from {@code AUDIT_KEK} (HMAC-SHA256 of a fixed label, one key per
 * use): the blind index that makes the encrypted {@code ip} searchable by equality, and the
 * tag that makes a search cursor tamper-evident. Neither key ever leaves the process.
 */
@ApplicationScoped
public class BlindIndex {

    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final int CURSOR_TAG = 16;

    private final SecretKeySpec ipKey;
    private final SecretKeySpec cursorKey;

    public BlindIndex(AuditConfig config) {
        byte[] kek = Secrets.key32(config.kek(), "AUDIT_KEK");
        this.ipKey = new SecretKeySpec(hmac(new SecretKeySpec(kek, "HmacSHA256"), "sentinel-audit|ip-index|v1"), "HmacSHA256");
        this.cursorKey = new SecretKeySpec(hmac(new SecretKeySpec(kek, "HmacSHA256"), "sentinel-audit|search-cursor|v1"), "HmacSHA256");
    }

    /**
     * The one text form of an IP address literal (IPv4 dotted quad; IPv6 as the JDK writes it,
     * full and lower-case, an IPv4-mapped address as its IPv4 form), or null when {@code ip}
     * is not an address literal. Never resolves a name: only literals reach the JDK parser.
     */
    public static String canonicalIp(String ip) {
        if (ip == null) {
            return null;
        }
        if (IPV4.matcher(ip).matches()) {
            for (String part : ip.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
            return ip;
        }
        if (!IPV6.matcher(ip).matches() || ip.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(ip).getHostAddress().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** The blind index of an event's ip: of its canonical form, or of the text itself when it is no literal. */
    public byte[] ip(String ip) {
        if (ip == null) {
            return null;
        }
        String canonical = canonicalIp(ip);
        return hmac(ipKey, canonical != null ? canonical : ip);
    }

    /** The tag of a cursor's payload. */
    public byte[] cursorTag(String payload) {
        return Arrays.copyOf(hmac(cursorKey, payload), CURSOR_TAG);
    }

    /** Whether {@code tag} is the tag of {@code payload}, in constant time. */
    public boolean cursorTagMatches(String payload, byte[] tag) {
        return MessageDigest.isEqual(cursorTag(payload), tag);
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}

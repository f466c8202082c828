package dev.sentinel.audit.verifier;

import dev.sentinel.audit.tree.AuditRow;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of the JSONL export (admin-audit-service README, "Export"): the row as the API shows it plus
 * {@code sealed} {ip, userAgent, data}, the stored forms the leaf covers. {@link #read} rebuilds the
 * {@link AuditRow} the leaf was computed from — seq, id, type, time, source, subject, actor, outcome,
 * traceId from the line, ip and userAgent from {@code sealed} (base64), data as {@code sealed.data}'s exact
 * text — and checks what it can of the opened view against it: a field that is absent in the row is absent in
 * the view, a row whose personal data is erased shows none, and the opened {@code data} is the sealed one
 * except for the sealed emails ({@code enc:v1:…}). The opened ip, user agent and email texts are plaintext the
 * leaf does not cover (it covers their ciphertext): no offline check can tell them from others.
 *
 * <p>A purged row ({@code purged: true}) carries no payload; its {@code leafHash} is taken as given and only
 * the tree over it (the root) checks it; its id, type, time and source are shown but not covered.
 */
final class ExportLine {

    static final Set<String> KEYS = Set.of("seq", "leafHash", "id", "type", "time", "source", "subject", "actor",
            "outcome", "ip", "userAgent", "traceId", "data", "personalDataErased", "purged", "sealed");
    static final Set<String> SEALED_KEYS = Set.of("ip", "userAgent", "data");
    static final String SEALED_EMAIL = "enc:v1:";

    /** A line read: its seq, the leaf hash it states, and the leaf recomputed from it (null for a purged row). */
    record Read(long seq, byte[] statedLeaf, byte[] recomputedLeaf) {
        boolean purged() {
            return recomputedLeaf == null;
        }
    }

    private ExportLine() {
    }

    static Read read(String line) throws Json.Bad {
        if (!(Json.parse(line) instanceof Map<?, ?> object)) {
            throw new Json.Bad("not a JSON object");
        }
        for (Object key : object.keySet()) {
            if (!KEYS.contains(key)) {
                throw new Json.Bad("unknown field \"" + key + "\"");
            }
        }
        long seq = seq(object.get("seq"));
        byte[] leaf = hash(object.get("leafHash"));
        String id = text(object, "id", true);
        String type = text(object, "type", true);
        String time = text(object, "time", true);
        String source = text(object, "source", true);
        boolean purged = flag(object, "purged");
        boolean erased = flag(object, "personalDataErased");
        String subject = text(object, "subject", false);
        String actor = text(object, "actor", false);
        String outcome = text(object, "outcome", false);
        String traceId = text(object, "traceId", false);
        String ip = text(object, "ip", false);
        String userAgent = text(object, "userAgent", false);
        Object data = object.containsKey("data") ? object.get("data") : Json.NULL;
        if (data != Json.NULL && !(data instanceof Map)) {
            throw new Json.Bad("\"data\" is not an object or null");
        }
        Object sealedValue = object.containsKey("sealed") ? object.get("sealed") : Json.NULL;
        Map<?, ?> sealed = sealedValue == Json.NULL ? Map.of() : sealedValue instanceof Map<?, ?> map ? map : null;
        if (sealed == null) {
            throw new Json.Bad("\"sealed\" is not an object");
        }
        for (Object key : sealed.keySet()) {
            if (!SEALED_KEYS.contains(key)) {
                throw new Json.Bad("unknown field \"sealed." + key + "\"");
            }
        }
        byte[] sealedIp = base64(sealed, "ip");
        byte[] sealedUserAgent = base64(sealed, "userAgent");
        String sealedData = text(sealed, "data", false);

        if (purged) {
            if (subject != null || actor != null || outcome != null || traceId != null || ip != null || userAgent != null
                    || data != Json.NULL || sealedIp != null || sealedUserAgent != null || sealedData != null || erased) {
                throw new Json.Bad("a purged row carries a payload");
            }
            return new Read(seq, leaf, null);
        }
        if (!object.containsKey("sealed")) {
            throw new Json.Bad("no \"sealed\" (a row that is not purged carries its stored forms)");
        }
        if ((sealedIp == null && ip != null) || (sealedUserAgent == null && userAgent != null)) {
            throw new Json.Bad("an opened ip or user agent without its sealed form");
        }
        if (erased && (ip != null || userAgent != null)) {
            throw new Json.Bad("personal data shown on a row marked erased");
        }
        if (sealedData == null) {
            if (data != Json.NULL) {
                throw new Json.Bad("\"data\" without \"sealed.data\"");
            }
        } else {
            Object stored;
            try {
                stored = Json.parse(sealedData, false);
            } catch (Json.Bad e) {
                throw new Json.Bad("\"sealed.data\" is not JSON: " + e.getMessage());
            }
            if (!sameView(stored, data, erased)) {
                throw new Json.Bad("\"data\" is not \"sealed.data\" with its emails opened");
            }
        }
        AuditRow row = new AuditRow(seq, id, type, time, source, subject, actor, outcome, sealedIp, sealedUserAgent,
                traceId, sealedData);
        return new Read(seq, leaf, row.leafHash());
    }

    /** The opened view of stored JSON: equal, except a sealed email shows as a text (or null when erased). */
    private static boolean sameView(Object stored, Object shown, boolean erased) {
        if (stored instanceof String text && text.startsWith(SEALED_EMAIL)) {
            return shown == Json.NULL || (!erased && shown instanceof String);
        }
        if (stored instanceof Map<?, ?> storedMap) {
            if (!(shown instanceof Map<?, ?> shownMap) || !storedMap.keySet().equals(shownMap.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> entry : storedMap.entrySet()) {
                if (!sameView(entry.getValue(), shownMap.get(entry.getKey()), erased)) {
                    return false;
                }
            }
            return true;
        }
        if (stored instanceof List<?> storedList) {
            if (!(shown instanceof List<?> shownList) || storedList.size() != shownList.size()) {
                return false;
            }
            for (int i = 0; i < storedList.size(); i++) {
                if (!sameView(storedList.get(i), shownList.get(i), erased)) {
                    return false;
                }
            }
            return true;
        }
        return stored.equals(shown);
    }

    private static long seq(Object value) throws Json.Bad {
        long seq = value instanceof Json.Num number ? Numbers.size(number.text()) : -1;
        if (seq < 0) {
            throw new Json.Bad("\"seq\" is not a whole number from 0 to 2^63-1");
        }
        return seq;
    }

    private static byte[] hash(Object value) throws Json.Bad {
        if (!(value instanceof String text) || !Hex.isHash(text)) {
            throw new Json.Bad("\"leafHash\" is not 64 lower-case hex digits");
        }
        return HexFormat.of().parseHex(text);
    }

    private static String text(Map<?, ?> object, String key, boolean required) throws Json.Bad {
        Object value = object.containsKey(key) ? object.get(key) : Json.NULL;
        if (value instanceof String text) {
            return text;
        }
        if (value == Json.NULL && !required) {
            return null;
        }
        throw new Json.Bad("\"" + key + "\" is not " + (required ? "a string" : "a string or null"));
    }

    private static boolean flag(Map<?, ?> object, String key) throws Json.Bad {
        if (!(object.get(key) instanceof Boolean flag)) {
            throw new Json.Bad("\"" + key + "\" is not true or false");
        }
        return flag;
    }

    private static byte[] base64(Map<?, ?> sealed, String key) throws Json.Bad {
        String text = text(sealed, key, false);
        if (text == null) {
            return null;
        }
        byte[] bytes = Base64s.decode(text);
        if (bytes == null) {
            throw new Json.Bad("\"sealed." + key + "\" is not base64");
        }
        return bytes;
    }
}

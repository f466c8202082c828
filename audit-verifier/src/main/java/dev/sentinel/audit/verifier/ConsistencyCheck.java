package dev.sentinel.audit.verifier;

import dev.sentinel.audit.tree.Merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An RFC 9162 §2.1.4 consistency proof as {@code GET /v1/admin/audit-logs/consistency?from=M&to=N} answers it
 * ({@code {from, to, fromRoot, toRoot, proof: [hex, …]}}), and its verification (§2.1.4.2) against the roots of
 * two signed checkpoints. The file's {@code fromRoot} and {@code toRoot} are the server's own computation: they
 * must equal the signed roots, but only the signed roots are trusted.
 */
record ConsistencyCheck(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof) {

    static final Set<String> KEYS = Set.of("from", "to", "fromRoot", "toRoot", "proof");
    static final int MAX_PROOF = 128;

    static ConsistencyCheck parse(byte[] file) throws Json.Bad {
        if (file.length > 64 * 1024) {
            throw new Json.Bad("longer than 64 KB");
        }
        String text = Lines.utf8(file);
        if (text == null) {
            throw new Json.Bad("not UTF-8");
        }
        if (!(Json.parse(text) instanceof Map<?, ?> object)) {
            throw new Json.Bad("not a JSON object");
        }
        for (Object key : object.keySet()) {
            if (!KEYS.contains(key)) {
                throw new Json.Bad("unknown field \"" + key + "\"");
            }
        }
        long from = object.get("from") instanceof Json.Num n ? Numbers.size(n.text()) : -1;
        long to = object.get("to") instanceof Json.Num n ? Numbers.size(n.text()) : -1;
        if (from < 1 || to < from) {
            throw new Json.Bad("\"from\" and \"to\" must be whole numbers with 1 ≤ from ≤ to");
        }
        if (!(object.get("proof") instanceof List<?> hashes) || hashes.size() > MAX_PROOF) {
            throw new Json.Bad("\"proof\" is not a list of at most " + MAX_PROOF + " hashes");
        }
        List<byte[]> proof = new ArrayList<>();
        for (Object hash : hashes) {
            proof.add(hex(hash, "proof"));
        }
        return new ConsistencyCheck(from, to, hex(object.get("fromRoot"), "fromRoot"), hex(object.get("toRoot"), "toRoot"), proof);
    }

    private static byte[] hex(Object value, String field) throws Json.Bad {
        if (!(value instanceof String text) || !Hex.isHash(text)) {
            throw new Json.Bad("\"" + field + "\" holds a value that is not 64 lower-case hex digits");
        }
        return HexFormat.of().parseHex(text);
    }

    /** RFC 9162 §2.1.4.2: does {@code proof} show the tree of {@code m} leaves with root {@code first} is a prefix of the tree of {@code n} with root {@code second}? */
    static boolean verify(long m, long n, byte[] first, byte[] second, List<byte[]> proof) {
        if (m < 1 || m > n) {
            return false;
        }
        if (m == n) {
            return proof.isEmpty() && MessageDigest.isEqual(first, second);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(m) == 1) {
            path.add(0, first);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = m - 1;
        long sn = n - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Merkle.nodeHash(c, fr);
                sr = Merkle.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = Merkle.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return MessageDigest.isEqual(fr, first) && MessageDigest.isEqual(sr, second) && sn == 0;
    }
}

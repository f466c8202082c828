package dev.sentinel.audit.support;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * An independent few lines of RFC 6962 / RFC 9162 for the tests, written from the RFC and
 * sharing nothing with the production classes: leaf and node hashes, and the §2.1.3.2
 * inclusion-proof verification.
 */
public final class Rfc6962 {

    private Rfc6962() {
    }

    public static byte[] leaf(byte[] data) {
        return sha256(new byte[] {0x00}, data);
    }

    public static byte[] node(byte[] left, byte[] right) {
        return sha256(new byte[] {0x01}, left, right);
    }

    /** MTH(D[n]) straight from the RFC's recursive definition, over leaf inputs. */
    public static byte[] root(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return node(root(leafHashes.subList(0, k)), root(leafHashes.subList(k, n)));
    }

    /** RFC 9162 §2.1.3.2: does {@code proof} show {@code leafHash} at {@code index} in the tree of {@code size} with {@code root}? */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index >= size || index < 0) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.sentinel.audit.support;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * An independent few lines of RFC 6962 / RFC 9162 for the tests, written from the RFC and
 * sharing nothing with the production classes: leaf and node hashes, the §2.1.3.2
 * inclusion-proof verification, and §2.1.4 consistency proofs (made and verified).
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

    /** RFC 9162 §2.1.4.1 PROOF(m, D[n]) straight from the definition, over leaf hashes. */
    public static List<byte[]> consistencyProof(int m, List<byte[]> leafHashes) {
        List<byte[]> proof = new java.util.ArrayList<>();
        if (m < leafHashes.size()) {
            subproof(m, leafHashes, true, proof);
        }
        return proof;
    }

    private static void subproof(int m, List<byte[]> d, boolean b, List<byte[]> proof) {
        int n = d.size();
        if (m == n) {
            if (!b) {
                proof.add(root(d));
            }
            return;
        }
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        if (m <= k) {
            subproof(m, d.subList(0, k), b, proof);
            proof.add(root(d.subList(k, n)));
        } else {
            subproof(m - k, d.subList(k, n), false, proof);
            proof.add(root(d.subList(0, k)));
        }
    }

    /**
     * RFC 9162 §2.1.4.2: does {@code proof} show that the tree of {@code first} leaves with
     * {@code firstRoot} is a prefix of the tree of {@code second} leaves with {@code secondRoot}?
     */
    public static boolean verifyConsistency(long first, long second, List<byte[]> proof, byte[] firstRoot,
            byte[] secondRoot) {
        if (first < 1 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new java.util.ArrayList<>();
        if (Long.bitCount(first) == 1) {
            path.add(firstRoot);
        }
        path.addAll(proof);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot) && sn == 0;
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

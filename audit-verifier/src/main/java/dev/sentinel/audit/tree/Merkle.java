package dev.sentinel.audit.tree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing over stored nodes. Leaves are
 * SHA-256(0x00 ‖ data), interior nodes SHA-256(0x01 ‖ left ‖ right), and a tree of n
 * leaves splits at the largest power of two below n. Node (level, index) is the perfect
 * subtree over leaves [index·2^level, (index+1)·2^level); every range the RFC recursion
 * visits is either such a node or splits into them, so a root or an inclusion path reads
 * O(log n) stored nodes.
 */
public final class Merkle {

    /** SHA-256 of nothing: the root of the empty tree. */
    public static final byte[] EMPTY_ROOT = sha256(new byte[0]);

    private Merkle() {
    }

    /** One stored node: level 0 is a leaf hash. */
    public record NodeId(int level, long index) {
    }

    /** Where the algorithms read node hashes from. */
    @FunctionalInterface
    public interface NodeSource {
        byte[] node(int level, long index);
    }

    public static byte[] leafHash(byte[] data) {
        MessageDigest digest = digest();
        digest.update((byte) 0x00);
        return digest.digest(data);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = digest();
        digest.update((byte) 0x01);
        digest.update(left);
        return digest.digest(right);
    }

    /** The perfect subtrees that make up a tree of {@code size} leaves, left to right. */
    public static List<NodeId> frontier(long size) {
        List<NodeId> nodes = new ArrayList<>();
        long covered = 0;
        for (int level = 63; level >= 0; level--) {
            long width = 1L << level;
            if ((size & width) != 0) {
                nodes.add(new NodeId(level, covered >>> level));
                covered += width;
            }
        }
        return nodes;
    }

    /** The root of the tree of {@code size} leaves. */
    public static byte[] root(long size, NodeSource source) {
        List<NodeId> frontier = frontier(size);
        if (frontier.isEmpty()) {
            return EMPTY_ROOT.clone();
        }
        byte[] root = null;
        for (int i = frontier.size() - 1; i >= 0; i--) {
            NodeId id = frontier.get(i);
            byte[] hash = source.node(id.level(), id.index());
            root = root == null ? hash : nodeHash(hash, root);
        }
        return root;
    }

    /** The RFC 9162 §2.1.3.1 inclusion path of leaf {@code index} in the tree of {@code size} leaves, leaf side first. */
    public static List<byte[]> inclusionPath(long index, long size, NodeSource source) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, size, source, path);
        return path;
    }

    /** The node ids {@code work} reads, to fetch them in one query before running it for real. */
    public static List<NodeId> reads(java.util.function.Consumer<NodeSource> work) {
        List<NodeId> ids = new ArrayList<>();
        work.accept((level, index) -> {
            ids.add(new NodeId(level, index));
            return new byte[32];
        });
        return ids;
    }

    /**
     * The RFC 9162 §2.1.4.1 consistency proof PROOF(m, D[n]) between the trees of {@code m}
     * and {@code n} leaves (1 ≤ m ≤ n; empty when m = n), in the RFC's order.
     */
    public static List<byte[]> consistencyPath(long m, long n, NodeSource source) {
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("no consistency proof from " + m + " to " + n);
        }
        List<byte[]> proof = new ArrayList<>();
        if (m < n) {
            subproof(m, 0, n, true, source, proof);
        }
        return proof;
    }

    /** SUBPROOF(m, D[lo:hi], whole) of RFC 9162 §2.1.4.1. */
    private static void subproof(long m, long lo, long hi, boolean whole, NodeSource source, List<byte[]> out) {
        long n = hi - lo;
        if (m == n) {
            if (!whole) {
                out.add(subtree(lo, hi, source));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproof(m, lo, lo + k, whole, source, out);
            out.add(subtree(lo + k, hi, source));
        } else {
            subproof(m - k, lo + k, hi, false, source, out);
            out.add(subtree(lo, lo + k, source));
        }
    }

    private static void path(long m, long lo, long hi, NodeSource source, List<byte[]> out) {
        if (hi - lo == 1) {
            return;
        }
        long k = splitPoint(hi - lo);
        if (m < lo + k) {
            path(m, lo, lo + k, source, out);
            out.add(subtree(lo + k, hi, source));
        } else {
            path(m, lo + k, hi, source, out);
            out.add(subtree(lo, lo + k, source));
        }
    }

    /** MTH(D[lo:hi]); a perfect range is one stored node. */
    static byte[] subtree(long lo, long hi, NodeSource source) {
        long width = hi - lo;
        if (Long.bitCount(width) == 1) {
            int level = Long.numberOfTrailingZeros(width);
            return source.node(level, lo >>> level);
        }
        long k = splitPoint(width);
        return nodeHash(subtree(lo, lo + k, source), subtree(lo + k, hi, source));
    }

    /** The largest power of two strictly below {@code n} (n ≥ 2). */
    public static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    public static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.sentinel.audit.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The right edge of the tree while leaves are appended: the perfect subtrees of the current
 * size (at most 64 hashes). Appending a leaf merges equal-sized neighbours into the interior
 * nodes that just became complete; those are what the append stores. The same walk over all
 * leaves recomputes the root in bounded memory (verify).
 */
public final class Frontier {

    public record Node(int level, long index, byte[] hash) {
    }

    private final Deque<Node> stack = new ArrayDeque<>();
    private long size;

    /** A frontier for a tree of {@code size} leaves, given its {@link Merkle#frontier} hashes. */
    public Frontier(long size, Merkle.NodeSource existing) {
        this.size = size;
        for (Merkle.NodeId id : Merkle.frontier(size)) {
            stack.addLast(new Node(id.level(), id.index(), existing.node(id.level(), id.index())));
        }
    }

    public static Frontier empty() {
        return new Frontier(0, (level, index) -> {
            throw new IllegalStateException("empty tree");
        });
    }

    /** Appends one leaf hash; answers the interior nodes it completed (level ≥ 1). */
    public List<Node> append(byte[] leafHash) {
        List<Node> completed = new ArrayList<>();
        Node current = new Node(0, size, leafHash);
        size++;
        while (!stack.isEmpty() && stack.peekLast().level() == current.level()) {
            Node left = stack.removeLast();
            current = new Node(current.level() + 1, left.index() >>> 1, Merkle.nodeHash(left.hash(), current.hash()));
            completed.add(current);
        }
        stack.addLast(current);
        return completed;
    }

    public long size() {
        return size;
    }

    /** The root of the tree so far. */
    public byte[] root() {
        if (stack.isEmpty()) {
            return Merkle.EMPTY_ROOT.clone();
        }
        byte[] root = null;
        var it = stack.descendingIterator();
        while (it.hasNext()) {
            byte[] hash = it.next().hash();
            root = root == null ? hash : Merkle.nodeHash(hash, root);
        }
        return root;
    }
}

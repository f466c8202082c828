package dev.sentinel.audit.checkpoint;

/** A signed checkpoint: the tree size, its root and the whole signed note. */
public record Checkpoint(long treeSize, byte[] rootHash, String note) {
}
